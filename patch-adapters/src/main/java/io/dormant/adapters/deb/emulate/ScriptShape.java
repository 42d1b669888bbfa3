package io.dormant.adapters.deb.emulate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * A shell script reduced to its logic: lines trimmed, blank and comment lines dropped, then its
 * SHA-256. A script is emulated only when its shape is one whose logic the Java side reproduces,
 * so that a changed script (another release, a local edit) runs for real instead of being guessed.
 */
public final class ScriptShape {

    private ScriptShape() {
    }

    public static String normalized(String script) {
        return script.lines().map(ScriptShape::trimmed).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.joining("\n"));
    }

    public static String of(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized(script).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }

    private static String trimmed(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && Character.isWhitespace(line.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }
}
