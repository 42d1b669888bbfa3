package io.dormant.library.tree;

import java.util.Arrays;
import java.util.Comparator;

/** Rules for one name in a tree, and the order names are kept in (unsigned bytes, like C's strcmp). */
public final class Names {
    public static final int MAX_NAME = 255;
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private Names() {
    }

    /** Why {@code name} cannot be a tree entry name, or null if it can. */
    public static String problem(byte[] name) {
        if (name == null || name.length == 0) {
            return "empty name";
        }
        if (name.length > MAX_NAME) {
            return "name longer than " + MAX_NAME + " bytes";
        }
        if (name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.') {
            return "name '.' or '..'";
        }
        for (byte b : name) {
            if (b == 0) {
                return "NUL byte in name";
            }
            if (b == '/') {
                return "'/' in name";
            }
        }
        return null;
    }

    static void check(byte[] name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
