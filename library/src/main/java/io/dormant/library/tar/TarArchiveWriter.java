package io.dormant.library.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes a POSIX (PAX) tar as GNU tar reads it: a PAX record for what ustar cannot hold (long or
 * non-ASCII names, nanosecond mtimes, large ids and sizes) and a SCHILY.xattr.* record per xattr,
 * with raw values, as GNU tar writes them.
 */
final class TarArchiveWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;

    TarArchiveWriter(OutputStream out) {
        this.out = out;
    }

    /** One member; {@code content} is read for exactly {@code size} bytes when the type is '0'. */
    void write(byte[] name, char type, int mode, long uid, long gid, long size, long mtime, int nanos, byte[] link,
               int major, int minor, SortedMap<String, byte[]> xattrs, InputStream content) throws IOException {
        ByteArrayOutputStream pax = new ByteArrayOutputStream();
        if (name.length > 100 || !ascii(name)) {
            record(pax, "path", name);
        }
        if (link != null && (link.length > 100 || !ascii(link))) {
            record(pax, "linkpath", link);
        }
        if (nanos != 0 || mtime < 0 || mtime > MAX_OCTAL_12) {
            record(pax, "mtime", time(mtime, nanos).getBytes(StandardCharsets.US_ASCII));
        }
        if (uid > MAX_OCTAL_8) {
            record(pax, "uid", Long.toString(uid).getBytes(StandardCharsets.US_ASCII));
        }
        if (gid > MAX_OCTAL_8) {
            record(pax, "gid", Long.toString(gid).getBytes(StandardCharsets.US_ASCII));
        }
        if (size > MAX_OCTAL_12) {
            record(pax, "size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            record(pax, "SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (pax.size() > 0) {
            byte[] paxName = ("./PaxHeaders/" + new String(last(name), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            header(Arrays.copyOf(paxName, Math.min(paxName.length, 100)), 'x', 0644, 0, 0, pax.size(),
                    Math.max(0, Math.min(mtime, MAX_OCTAL_12)), null, 0, 0);
            out.write(pax.toByteArray());
            pad(pax.size());
        }
        header(Arrays.copyOf(name, Math.min(name.length, 100)), type, mode, Math.min(uid, MAX_OCTAL_8),
                Math.min(gid, MAX_OCTAL_8), Math.min(size, MAX_OCTAL_12), Math.max(0, Math.min(mtime, MAX_OCTAL_12)),
                link == null ? null : Arrays.copyOf(link, Math.min(link.length, 100)), major, minor);
        if (type == '0') {
            long copied = content.transferTo(out);
            if (copied != size) {
                throw new IOException("content of " + new String(name, StandardCharsets.UTF_8) + " is " + copied
                        + " bytes, its entry says " + size);
            }
            pad(size);
        }
    }

    /** The end-of-archive marker: two zero blocks. */
    void finish() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }

    private void header(byte[] name, char type, int mode, long uid, long gid, long size, long mtime, byte[] link,
                        int major, int minor) throws IOException {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        if (link != null) {
            System.arraycopy(link, 0, h, 157, link.length);
        }
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        byte[] s = String.format("%0" + (len - 1) + "o", v).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int p = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[p]);
    }

    /** "LENGTH KEY=VALUE\n", where LENGTH counts its own digits too. */
    private static void record(ByteArrayOutputStream pax, String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + 1 + value.length + 1;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len = body + Integer.toString(len).length();
        }
        pax.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        pax.writeBytes(k);
        pax.write('=');
        pax.writeBytes(value);
        pax.write('\n');
    }

    private static String time(long seconds, int nanos) {
        if (nanos == 0) {
            return Long.toString(seconds);
        }
        if (seconds < 0) {
            return "-" + (-(seconds + 1)) + "." + String.format("%09d", 1_000_000_000 - nanos);
        }
        return seconds + "." + String.format("%09d", nanos);
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x <= 0 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static byte[] last(byte[] path) {
        int end = path.length;
        while (end > 0 && path[end - 1] == '/') {
            end--;
        }
        int start = end;
        while (start > 0 && path[start - 1] != '/') {
            start--;
        }
        return Arrays.copyOfRange(path, start, end);
    }
}
