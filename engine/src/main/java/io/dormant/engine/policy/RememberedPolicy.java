package io.dormant.engine.policy;

import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import io.dormant.library.store.ObjectId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The shipped action policy for short commands, with its answers remembered on disk. Starting the
 * DMN engine costs about a second of CPU, which in {@code patch apply} competes with the unpack for
 * the cores, while its answers are a pure function of the table and the question. So each answer
 * is kept in a file named by the table's SHA-256 ({@code cache/action-policy-<hash>.tsv}): a new
 * table (another Dormant version) starts a new file, and the engine is started only for a question
 * no earlier command asked.
 */
public final class RememberedPolicy implements ActionPolicy {

    /** The files of remembered answers in the cache directory, one per table. */
    public static final String FILES = "action-policy-*.tsv";

    private final Path file;
    private final Map<String, ActionTier> known;
    private final Supplier<ActionPolicy> table;

    RememberedPolicy(Path file, Supplier<ActionPolicy> table) {
        this(file, read(file), table);
    }

    private RememberedPolicy(Path file, Map<String, ActionTier> known, Supplier<ActionPolicy> table) {
        this.file = file;
        this.known = known;
        this.table = table;
    }

    /**
     * The shipped table, remembered under {@code cacheDir}. With nothing remembered yet, its engine
     * starts at once on another thread (so it overlaps reading the packages); else only on a miss.
     */
    public static RememberedPolicy shipped(Path cacheDir) {
        byte[] dmn = DmnActionPolicy.shippedTable();
        String hash = ObjectId.hash(dmn).hex();
        Path file = cacheDir.resolve("action-policy-" + hash.substring(0, 16) + ".tsv");
        Supplier<ActionPolicy> build = () -> DmnActionPolicy.of(new ByteArrayInputStream(dmn), DmnActionPolicy.SHIPPED);
        Map<String, ActionTier> known = read(file);
        known.putAll(ShippedAnswers.of(hash));
        if (known.isEmpty()) {
            CompletableFuture<ActionPolicy> started = CompletableFuture.supplyAsync(build);
            return new RememberedPolicy(file, known, started::join);
        }
        return new RememberedPolicy(file, known, new Once<>(build));
    }

    @Override
    public ActionTier tierFor(String actionKind, String format, boolean sandboxAvailable) {
        String question = question(actionKind, format, sandboxAvailable);
        ActionTier answer = known.get(question);
        if (answer == null) {
            answer = table.get().tierFor(actionKind, format, sandboxAvailable);
            known.put(question, answer);
            remember(question, answer);
        }
        return answer;
    }

    /** Appends one answer; a failure to write costs the next command an engine start, nothing more. */
    private synchronized void remember(String question, ActionTier answer) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, question + "\t" + answer.word() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // not remembered: the answer is still right for this command
        }
    }

    /** Reads the remembered answers. */
    private static Map<String, ActionTier> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new ConcurrentHashMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the remembered policy answers " + file, e);
        }
    }

    /**
     * Answers as lines of {@code kind TAB format TAB sandbox TAB tier}; a line that is not a whole
     * answer (a comment, or a crash mid-append) is skipped.
     */
    static Map<String, ActionTier> parse(String text) {
        Map<String, ActionTier> answers = new ConcurrentHashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 4) {
                try {
                    answers.put(question(parts[0], parts[1], Boolean.parseBoolean(parts[2])), ActionTier.ofWord(parts[3]));
                } catch (IllegalArgumentException e) {
                    // not an answer
                }
            }
        }
        return answers;
    }

    static String question(String actionKind, String format, boolean sandboxAvailable) {
        return actionKind + "\t" + format + "\t" + sandboxAvailable;
    }

    /** Builds the table on first use only. */
    private static final class Once<T> implements Supplier<T> {
        private final Supplier<T> build;
        private T value;

        Once(Supplier<T> build) {
            this.build = build;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = build.get();
            }
            return value;
        }
    }
}
