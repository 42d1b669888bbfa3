package io.dormant.adapters.deb;

import static io.dormant.adapters.deb.DebianVersionSyntax.isAsciiLetter;
import static io.dormant.adapters.deb.DebianVersionSyntax.isDigit;

/**
 * dpkg's version order (lib/dpkg/version.c, {@code dpkg_version_compare} and {@code verrevcmp}),
 * which decides whether a patch is an upgrade. Any deviation would install downgrades or skip
 * updates, so this follows dpkg step by step and is checked against dpkg itself in the IT.
 */
final class DebianVersionOrder {

    /** Stands for "no more characters": sorts after {@code ~} and before everything else. */
    private static final char END = '\0';

    private DebianVersionOrder() {
    }

    static int compare(DebianVersion a, DebianVersion b) {
        int byEpoch = Integer.compare(a.epoch(), b.epoch());
        if (byEpoch != 0) {
            return byEpoch;
        }
        int byUpstream = compareParts(a.upstream(), b.upstream());
        return byUpstream != 0 ? byUpstream : compareParts(a.revision(), b.revision());
    }

    /**
     * Compares an upstream part or a revision: alternately a run of non-digits, character by
     * character in {@link #weight} order, then a run of digits as a number of any length. A missing
     * run counts as empty, and an empty number as zero.
     */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int byCharacter = weight(charAt(a, i)) - weight(charAt(b, j));
                if (byCharacter != 0) {
                    return Integer.signum(byCharacter);
                }
                i++;
                j++;
            }
            while (charAt(a, i) == '0') {
                i++;
            }
            while (charAt(b, j) == '0') {
                j++;
            }
            // Without leading zeros the longer run is the bigger number; at equal length the first
            // differing digit decides. Comparing digit by digit has no overflow, whatever the length.
            int firstDifference = 0;
            while (isDigit(charAt(a, i)) && isDigit(charAt(b, j))) {
                if (firstDifference == 0) {
                    firstDifference = charAt(a, i) - charAt(b, j);
                }
                i++;
                j++;
            }
            if (isDigit(charAt(a, i))) {
                return 1;
            }
            if (isDigit(charAt(b, j))) {
                return -1;
            }
            if (firstDifference != 0) {
                return Integer.signum(firstDifference);
            }
        }
        return 0;
    }

    /**
     * dpkg's {@code order()}: {@code ~} sorts before the end of the part (so 1.0~rc1 &lt; 1.0), the
     * end and digits before letters, letters by ASCII (A-Z before a-z), and every other character
     * after all letters. Digits never reach here except against the end or a non-digit, where they
     * weigh like the end.
     */
    private static int weight(char c) {
        if (c == '~') {
            return -1;
        }
        if (c == END || isDigit(c)) {
            return 0;
        }
        if (isAsciiLetter(c)) {
            return c;
        }
        return c + 256;
    }

    private static char charAt(String s, int index) {
        return index < s.length() ? s.charAt(index) : END;
    }
}
