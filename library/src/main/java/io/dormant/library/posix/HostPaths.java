package io.dormant.library.posix;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Converts between host paths and their raw bytes. Linux file names are bytes, not text; a
 * {@link Path} keeps the raw bytes internally but {@code toString()} decodes them lossily when the
 * JVM's charset cannot represent them. The file URI of a path percent-encodes the raw bytes, so it
 * is the one public door to them, used only when the name is not plain ASCII.
 */
public final class HostPaths {
    private HostPaths() {
    }

    /** The raw bytes of the last name of {@code path}. */
    public static byte[] nameBytes(Path path) {
        Path name = path.getFileName();
        String s = name.toString();
        if (isPlainAscii(s)) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        byte[] full = rawBytes(path.toAbsolutePath());
        int end = full.length;
        while (end > 1 && full[end - 1] == '/') {
            end--;
        }
        int start = end;
        while (start > 0 && full[start - 1] != '/') {
            start--;
        }
        byte[] out = new byte[end - start];
        System.arraycopy(full, start, out, 0, out.length);
        return out;
    }

    /** The raw bytes of {@code path} as given (absolute or relative), without a trailing NUL. */
    public static byte[] bytes(Path path) {
        String s = path.toString();
        if (isPlainAscii(s)) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        return rawBytes(path.isAbsolute() ? path : path.toAbsolutePath());
    }

    /** NUL-terminated raw bytes, as libc wants them. */
    public static byte[] cString(Path path) {
        byte[] b = bytes(path);
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, b.length);
        return c;
    }

    /** The child of {@code dir} named by raw bytes, without any decoding loss. */
    public static Path child(Path dir, byte[] name) {
        if (isPlainAscii(name)) {
            return dir.resolve(new String(name, StandardCharsets.US_ASCII));
        }
        byte[] parent = rawBytes(dir.toAbsolutePath());
        StringBuilder uri = new StringBuilder("file://");
        appendEncoded(uri, parent);
        if (parent.length == 0 || parent[parent.length - 1] != '/') {
            uri.append('/');
        }
        appendEncoded(uri, name);
        return Path.of(URI.create(uri.toString()));
    }

    private static byte[] rawBytes(Path absolute) {
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] b = out.toByteArray();
        // toUri() marks directories with a trailing slash; the path itself has none.
        if (b.length > 1 && b[b.length - 1] == '/') {
            byte[] t = new byte[b.length - 1];
            System.arraycopy(b, 0, t, 0, t.length);
            return t;
        }
        return b;
    }

    private static void appendEncoded(StringBuilder sb, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // '?' is what an unmappable byte decodes to under an ASCII JVM charset, so it is not trusted.
            if (c < 0x20 || c > 0x7e || c == '?') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e || x == '?') {
                return false;
            }
        }
        return true;
    }
}
