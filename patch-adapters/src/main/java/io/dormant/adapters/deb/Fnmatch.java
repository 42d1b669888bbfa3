package io.dormant.adapters.deb;

/**
 * Shell wildcard matching as POSIX {@code fnmatch(pattern, string, 0)}, which dpkg's path filters
 * use: {@code *} and {@code ?} match any character, a slash and a leading dot included; {@code [...]}
 * is a bracket expression ({@code !} or {@code ^} negates it, ranges, a leading {@code ]} is literal,
 * and the classes {@code [:alpha:]} and the like); a backslash makes the next character literal.
 * A bracket without its closing {@code ]} is a literal {@code [}, and a pattern ending in a lone
 * backslash matches nothing, as in glibc.
 */
public final class Fnmatch {

    private Fnmatch() {
    }

    public static boolean matches(String pattern, String string) {
        int p = 0;
        int s = 0;
        // Where to resume after the last star: the pattern after it, and the string one further.
        int starP = -1;
        int starS = -1;
        while (s < string.length()) {
            if (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    while (p < pattern.length() && pattern.charAt(p) == '*') {
                        p++;
                    }
                    if (p == pattern.length()) {
                        return true;
                    }
                    starP = p;
                    starS = s;
                    continue;
                }
                int next = single(pattern, p, string.charAt(s));
                if (next >= 0) {
                    p = next;
                    s++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            s = ++starS;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Matches one character against the pattern element at {@code p}: the index after it, or -1. */
    private static int single(String pattern, int p, char c) {
        char first = pattern.charAt(p);
        if (first == '?') {
            return p + 1;
        }
        if (first == '\\') {
            // A backslash that ends the pattern escapes nothing: the C library matches nothing then.
            return p + 1 < pattern.length() && pattern.charAt(p + 1) == c ? p + 2 : -1;
        }
        if (first == '[') {
            int end = bracketEnd(pattern, p);
            if (end > 0) {
                return bracket(pattern, p + 1, end, c) ? end + 1 : -1;
            }
        }
        return first == c ? p + 1 : -1;
    }

    /** The index of the {@code ]} closing the bracket expression at {@code open}, or -1 when none does. */
    private static int bracketEnd(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a ']' first is a member
        }
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '[' && i + 1 < pattern.length() && pattern.charAt(i + 1) == ':') {
                int close = pattern.indexOf(":]", i + 2);
                if (close > 0) {
                    i = close + 2;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < pattern.length()) {
                i += 2;
                continue;
            }
            if (c == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean bracket(String pattern, int from, int end, char c) {
        int i = from;
        boolean negated = pattern.charAt(i) == '!' || pattern.charAt(i) == '^';
        if (negated) {
            i++;
        }
        boolean found = false;
        while (i < end) {
            char low = pattern.charAt(i);
            if (low == '[' && i + 1 < end && pattern.charAt(i + 1) == ':') {
                int close = pattern.indexOf(":]", i + 2);
                if (close > 0 && close < end) {
                    found |= inClass(pattern.substring(i + 2, close), c);
                    i = close + 2;
                    continue;
                }
            }
            if (low == '\\' && i + 1 < end) {
                low = pattern.charAt(++i);
            }
            i++;
            if (i + 1 < end && pattern.charAt(i) == '-') {
                char high = pattern.charAt(i + 1);
                int skip = 2;
                if (high == '\\' && i + 2 < end) {
                    high = pattern.charAt(i + 2);
                    skip = 3;
                }
                found |= low <= c && c <= high;
                i += skip;
            } else {
                found |= low == c;
            }
        }
        return found != negated;
    }

    private static boolean inClass(String name, char c) {
        return switch (name) {
            case "alpha" -> Character.isLetter(c);
            case "digit" -> c >= '0' && c <= '9';
            case "alnum" -> Character.isLetterOrDigit(c);
            case "upper" -> Character.isUpperCase(c);
            case "lower" -> Character.isLowerCase(c);
            case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
            case "blank" -> c == ' ' || c == '\t';
            case "punct" -> c > ' ' && c < 127 && !Character.isLetterOrDigit(c);
            case "print" -> c >= ' ' && c != 127;
            case "graph" -> c > ' ' && c != 127;
            case "cntrl" -> c < ' ' || c == 127;
            case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> false;
        };
    }
}
