package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads md5sums files (a package's DEBIAN/md5sums, dpkg's info/*.md5sums): "md5  path" a line;
 * and makes the md5 that dpkg and the tools around it (ucf) record for a file.
 */
public final class DebMd5sums {

    private DebMd5sums() {
    }

    /** A fresh MD5 digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** The md5 of a file's bytes in lowercase hex, the file itself if it is a symlink. */
    public static String of(Path file) throws IOException {
        MessageDigest md5 = digest();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** Path (relative, as written: "usr/bin/hello") to md5, in file order. */
    static Map<String, String> parse(String text, String source) throws DebControlException {
        Map<String, String> out = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space != 32 || !line.substring(0, 32).matches("[0-9a-fA-F]{32}")) {
                throw new DebControlException(source + " line " + lineNumber, "'" + DebArIndex.printable(line)
                        + "' is not '<32 hex digits>  <path>'");
            }
            String path = line.substring(space).stripLeading();
            out.put(path.startsWith("/") ? path.substring(1) : path, line.substring(0, 32).toLowerCase());
        }
        return out;
    }
}
