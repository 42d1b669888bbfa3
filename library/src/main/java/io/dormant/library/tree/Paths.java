package io.dormant.library.tree;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Image paths as bytes: names joined by '/', relative to the image root, no leading slash; the
 * root itself is the empty path. This is the form of HARDLINK targets and of diff results.
 */
public final class Paths {
    private Paths() {
    }

    public static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) {
            return name;
        }
        byte[] out = new byte[parent.length + 1 + name.length];
        System.arraycopy(parent, 0, out, 0, parent.length);
        out[parent.length] = '/';
        System.arraycopy(name, 0, out, parent.length + 1, name.length);
        return out;
    }

    /** The names of a path; empty components (from "//" or a leading '/') are dropped. */
    public static List<byte[]> split(byte[] path) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        for (byte b : path) {
            if (b == '/') {
                if (cur.size() > 0) {
                    out.add(cur.toByteArray());
                    cur.reset();
                }
            } else {
                cur.write(b);
            }
        }
        if (cur.size() > 0) {
            out.add(cur.toByteArray());
        }
        return out;
    }

    public static byte[] of(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /** For messages: the path with a leading slash, decoded leniently. */
    public static String display(byte[] path) {
        return "/" + new String(path, StandardCharsets.UTF_8);
    }

    /** Compares two paths in canonical (depth first, unsigned byte) order. */
    public static int compareCanonical(byte[] a, byte[] b) {
        List<byte[]> x = split(a);
        List<byte[]> y = split(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = Names.ORDER.compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
