package io.dormant.adapters.deb;

import java.util.Random;

/**
 * Makes version strings for the dpkg comparison: mostly Policy-shaped versions and near-copies of
 * them, because the interesting cases (a tilde more, a leading zero, a letter's case) lie between
 * versions that are almost the same; plus noise that is often not a version at all.
 *
 * <p>Nothing it makes is empty or starts with {@code -} (dpkg would take it for an option) or {@code +} (dpkg's
 * strtol reads {@code +1:0} as epoch 1, a corner Dormant refuses on purpose), and nothing holds a
 * quote or white space, so the strings go into a shell script in single quotes as they are.
 */
final class VersionGenerator {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** Characters dpkg accepts with a warning; as non-letters they sort after every letter. */
    private static final String ODD = "_%=@^,!";
    private static final String NOISE = "0123456789012345:-.~+abzAZ" + ODD;

    private final Random random;

    VersionGenerator(Random random) {
        this.random = random;
    }

    /** Two versions, either unrelated or one a small change of the other. */
    String[] pair() {
        String base = version();
        if (random.nextInt(10) < 3) {
            return ordered(base, version());
        }
        String changed = base;
        int changes = 1 + random.nextInt(2);
        for (int i = 0; i < changes; i++) {
            changed = mutateUntilValid(changed);
        }
        return ordered(base, changed);
    }

    /** A version dpkg accepts, sometimes with characters it only warns about. */
    String version() {
        boolean odd = random.nextInt(8) == 0;
        boolean epoch = random.nextInt(4) == 0;
        boolean revision = random.nextInt(3) > 0;
        StringBuilder v = new StringBuilder();
        if (epoch) {
            v.append(pick("0", "1", "2", "3", "10", "007")).append(':');
        }
        v.append(odd && random.nextBoolean() ? token(odd) : digits());
        int segments = random.nextInt(5);
        String separators = ".+~" + (revision ? "-" : "") + (epoch ? ":" : "") + (odd ? ODD : "");
        for (int i = 0; i < segments; i++) {
            if (random.nextInt(4) > 0) {
                v.append(separators.charAt(random.nextInt(separators.length())));
            }
            v.append(token(odd));
        }
        if (revision) {
            v.append('-').append(revisionPart(odd));
        }
        return v.toString();
    }

    /**
     * 1 to 10 characters from an alphabet of version characters; often not a version at all. Never
     * empty: dpkg --compare-versions reads an empty argument as "no version", not as a bad one.
     */
    String noise() {
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(10);
        while (s.length() < length) {
            char c = NOISE.charAt(random.nextInt(NOISE.length()));
            if (s.length() == 0 && (c == '-' || c == '+')) {
                continue;
            }
            s.append(c);
        }
        return s.toString();
    }

    private String revisionPart(boolean odd) {
        StringBuilder r = new StringBuilder(random.nextInt(5) == 0 ? pick("~", "+", ".", "a") : "");
        r.append(token(odd));
        int segments = random.nextInt(3);
        for (int i = 0; i < segments; i++) {
            r.append(pick(".", "+", "~", "+deb", "ubuntu", "~bpo", "")).append(token(odd));
        }
        return r.toString();
    }

    private String token(boolean odd) {
        return switch (random.nextInt(odd ? 7 : 6)) {
            case 0, 1 -> digits();
            case 2 -> letters();
            case 3 -> letters() + digits();
            case 4 -> pick("rc", "beta", "dfsg", "git", "p", "b", "A", "Z", "a", "z") + digits();
            case 5 -> digits() + letters();
            default -> String.valueOf(ODD.charAt(random.nextInt(ODD.length()))) + digits();
        };
    }

    private String digits() {
        return switch (random.nextInt(8)) {
            case 0 -> "0" + random.nextInt(100);
            case 1 -> "0";
            case 2 -> "1" + "0".repeat(18 + random.nextInt(8)) + random.nextInt(10);
            case 3 -> String.valueOf(random.nextInt(1000));
            default -> String.valueOf(random.nextInt(12));
        };
    }

    private String letters() {
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(3);
        for (int i = 0; i < length; i++) {
            s.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return s.toString();
    }

    private String mutateUntilValid(String version) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String changed = mutate(version);
            if (isUsable(changed)) {
                return changed;
            }
        }
        return version;
    }

    private String mutate(String v) {
        int at = random.nextInt(v.length());
        char c = v.charAt(at);
        return switch (random.nextInt(10)) {
            case 0 -> v + pick("~", "~rc1", "~~", "+b1", ".0", "a", "A", "0", "-1", "-0", "~a", "+", ".");
            case 1 -> v.substring(0, at) + pick("~", "0", "00", ".", "+", "a") + v.substring(at);
            case 2 -> v.substring(0, at) + v.substring(at + 1);
            case 3 -> v.substring(0, at) + (char) (c + (random.nextBoolean() ? 1 : -1)) + v.substring(at + 1);
            case 4 -> v.substring(0, at) + flipCase(c) + v.substring(at + 1);
            case 5 -> v.contains(":") ? v.substring(v.indexOf(':') + 1) : pick("0:", "1:") + v;
            case 6 -> v.substring(0, at) + pick("~", "+", ".", "-", ":", "_") + v.substring(at + 1);
            case 7 -> v.replaceFirst("(\\d+)", "000$1");
            default -> v;
        };
    }

    private static boolean isUsable(String v) {
        if (v.isEmpty() || v.charAt(0) == '-' || v.charAt(0) == '+' || v.indexOf('\'') >= 0) {
            return false;
        }
        try {
            DebianVersion.parseLenient(v);
            return true;
        } catch (DebianVersionSyntaxException e) {
            return false;
        }
    }

    private String[] ordered(String a, String b) {
        return random.nextBoolean() ? new String[] {a, b} : new String[] {b, a};
    }

    private static char flipCase(char c) {
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    }

    private String pick(String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
