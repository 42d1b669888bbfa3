package io.dormant.engine.policy;

import io.dormant.adapters.policy.ActionTier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The shipped table's answers to every question its input values allow, shipped beside it
 * ({@value #RESOURCE}), so that no command starts the DMN engine for the shipped policy: starting it
 * costs about two seconds of CPU, which the first apply on a new machine would pay beside its unpack.
 * The file names the SHA-256 of the table it was made from; for any other table it is ignored, so a
 * stale file can cost an engine start but never give a wrong answer. ShippedAnswersTest checks it
 * against the engine's own answers and prints the file to ship when they differ.
 */
final class ShippedAnswers {

    static final String RESOURCE = "/action-policy.answers.tsv";
    static final String HASH_LINE = "# answers of action-policy.dmn, sha256 ";

    private ShippedAnswers() {
    }

    /** The answers for the table with this SHA-256 (hex), or none when the shipped file was made from another. */
    static Map<String, ActionTier> of(String tableHash) {
        String text = text();
        String expected = HASH_LINE + tableHash;
        if (text == null || !text.startsWith(expected + "\n")) {
            return Map.of();
        }
        return RememberedPolicy.parse(text);
    }

    private static String text() {
        try (InputStream in = ShippedAnswers.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }
}
