package io.dormant.engine.cli;

import io.dormant.library.DormantHome;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which resident process may take a command: one started from the same build, with the same JVM
 * options and the same environment as far as Dormant reads it. Anything else in that set would
 * make the resident process behave differently from the command run in place, so it gets a
 * resident process of its own; an old one ends when it has been idle long enough.
 */
record ResidentKey(String hash, Path directory) {

    /** {@code DORMANT_RESIDENT=0} runs every command in its own JVM. */
    static final String SWITCH = "DORMANT_RESIDENT";
    /** Variables outside DORMANT_* that a command or the tools it starts read. */
    private static final List<String> ALSO_READ = List.of("HOME", "PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");
    private static final List<String> PATH_VARIABLES = List.of("DORMANT_HOME", "DORMANT_CHECKOUTS", "DORMANT_SCRATCH");
    /**
     * The key the launcher (./dormant) computed from the same things, so that its Perl client can
     * find the socket without a JVM: the java it runs, its options, the jar and the environment.
     */
    static final String LAUNCHER_KEY = "dormant.resident.key";
    private static final Pattern KEY_SHAPE = Pattern.compile("[0-9a-f]{16}");
    /** sun_path holds 108 bytes; longer names cannot be bound. */
    private static final int SOCKET_PATH_LIMIT = 100;

    /** The key for this JVM and environment, or empty when a resident process must not be used. */
    static Optional<ResidentKey> of(Map<String, String> environment) {
        String setting = environment.getOrDefault(SWITCH, "1").trim().toLowerCase(java.util.Locale.ROOT);
        if (setting.equals("0") || setting.equals("off") || setting.equals("false") || setting.equals("no")) {
            return Optional.empty();
        }
        // A relative path means something else in the resident process's working directory.
        for (String name : PATH_VARIABLES) {
            String value = environment.get(name);
            if (value != null && !value.isBlank() && !Path.of(value).isAbsolute()) {
                return Optional.empty();
            }
        }
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        // The JVM that writes the class-data archive at its exit must run the command itself, or
        // the archive would hold only what it takes to hand the command over.
        // (Loops, not lambdas: each lambda costs a cold JVM milliseconds, and this runs on every apply.)
        for (String option : jvmOptions) {
            if (option.startsWith("-XX:ArchiveClassesAtExit")) {
                return Optional.empty();
            }
        }
        Path directory = DormantHome.resolve(environment).resolve("run");
        String launcherKey = System.getProperty(LAUNCHER_KEY, "");
        if (KEY_SHAPE.matcher(launcherKey).matches()) {
            return usable(new ResidentKey(launcherKey, directory));
        }
        TreeMap<String, String> read = new TreeMap<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if ((name.startsWith("DORMANT_") && !name.startsWith(SWITCH)) || ALSO_READ.contains(name)) {
                read.put(name, variable.getValue());
            }
        }
        List<String> parts = new ArrayList<>(List.of(System.getProperty("java.home"), System.getProperty("java.class.path")));
        parts.add(build());
        parts.addAll(jvmOptions);
        for (Map.Entry<String, String> variable : read.entrySet()) {
            parts.add(variable.getKey() + "=" + variable.getValue());
        }
        return usable(new ResidentKey(digest(parts), directory));
    }

    private static Optional<ResidentKey> usable(ResidentKey key) {
        return key.socket().toString().getBytes(StandardCharsets.UTF_8).length <= SOCKET_PATH_LIMIT
                ? Optional.of(key) : Optional.empty();
    }

    Path socket() {
        return directory.resolve("resident-" + hash + ".sock");
    }

    Path lock() {
        return directory.resolve("resident-" + hash + ".lock");
    }

    Path log() {
        return directory.resolve("resident.log");
    }

    /** The first class path entry (the jar) by size and modification time: a rebuild is another key. */
    private static String build() {
        try {
            Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
            return Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException | RuntimeException e) {
            return "unknown build";
        }
    }

    private static String digest(List<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
