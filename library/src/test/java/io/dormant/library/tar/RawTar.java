package io.dormant.library.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds tar archives byte by byte for tests, independently of Dormant's own writer, so that
 * hostile archives (bad names, lying sizes, cut-off data) can be made exactly.
 */
final class RawTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawTar file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name.getBytes(StandardCharsets.UTF_8), '0', 0644, data.length, "");
        data(data);
        return this;
    }

    RawTar dir(String name) {
        header(name.getBytes(StandardCharsets.UTF_8), '5', 0755, 0, "");
        return this;
    }

    RawTar symlink(String name, String target) {
        header(name.getBytes(StandardCharsets.UTF_8), '2', 0777, 0, target);
        return this;
    }

    RawTar hardlink(String name, String target) {
        header(name.getBytes(StandardCharsets.UTF_8), '1', 0644, 0, target);
        return this;
    }

    /** A PAX extended header whose records apply to the next member. */
    RawTar pax(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = k.length + value.length + 3;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        rec.writeBytes(k);
        rec.write('=');
        rec.writeBytes(value);
        rec.write('\n');
        header("./PaxHeaders/x".getBytes(StandardCharsets.US_ASCII), 'x', 0644, rec.size(), "");
        data(rec.toByteArray());
        return this;
    }

    RawTar gnuLongName(String name) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink".getBytes(StandardCharsets.US_ASCII), 'L', 0644, n.length, "");
        data(n);
        return this;
    }

    /** A header only; the caller writes (or withholds) the content. */
    RawTar header(byte[] name, char type, int mode, long size, String link) {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size > 077777777777L) {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        } else {
            octal(h, 124, 12, size);
        }
        octal(h, 136, 12, 1_700_000_000L);
        h[156] = (byte) type;
        byte[] l = link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(l, 0, h, 157, Math.min(100, l.length));
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        out.writeBytes(h);
        return this;
    }

    RawTar data(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return this;
    }

    RawTar raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] end() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    byte[] unfinished() {
        return out.toByteArray();
    }

    private static void octal(byte[] h, int off, int len, long v) {
        byte[] s = String.format("%0" + (len - 1) + "o", v).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
