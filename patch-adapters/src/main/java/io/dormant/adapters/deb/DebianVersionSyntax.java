package io.dormant.adapters.deb;

import java.util.Objects;

/**
 * Splits and checks version strings the way dpkg's {@code parseversion} does, so that a version
 * Dormant accepts is one dpkg accepts, and the error says the same thing dpkg would have said.
 */
final class DebianVersionSyntax {

    /** How much beyond dpkg's hard errors is refused. */
    enum Rules {
        /** Debian Policy: dpkg's warnings are errors too. */
        POLICY,
        /** dpkg: only what dpkg refuses outright is an error. */
        DPKG
    }

    private static final String UPSTREAM_PUNCTUATION = ".+~-:";
    private static final String REVISION_PUNCTUATION = ".+~";

    private DebianVersionSyntax() {
    }

    static DebianVersion parse(String text, Rules rules) {
        Objects.requireNonNull(text, "version");
        String version = stripBlanks(text);
        if (version.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "version string is empty");
        }
        if (version.chars().anyMatch(DebianVersionSyntax::isBlank)) {
            throw new DebianVersionSyntaxException(text, "version string has embedded spaces");
        }

        // The first colon ends the epoch and the last hyphen starts the revision, so the upstream
        // part may hold both characters; that is how dpkg splits, and so how we must.
        int colon = version.indexOf(':');
        int epoch = colon < 0 ? 0 : parseEpoch(text, version.substring(0, colon));
        String rest = version.substring(colon + 1);
        if (colon >= 0 && rest.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "nothing after colon in version number");
        }
        int hyphen = rest.lastIndexOf('-');
        String upstream = hyphen < 0 ? rest : rest.substring(0, hyphen);
        String revision = hyphen < 0 ? "" : rest.substring(hyphen + 1);
        if (hyphen >= 0 && revision.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "revision number is empty");
        }
        if (upstream.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "version number is empty");
        }

        checkPrintableAscii(text, upstream, "version number");
        checkPrintableAscii(text, revision, "revision number");
        if (rules == Rules.POLICY) {
            checkPolicy(text, upstream, revision);
        }
        return new DebianVersion(epoch, upstream, revision);
    }

    /** The invariants of a {@link DebianVersion} however it is made: the ones that make it printable and re-readable. */
    static void checkParts(int epoch, String upstream, String revision) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(revision, "revision");
        String text = format(epoch, upstream, revision);
        if (epoch < 0) {
            throw new DebianVersionSyntaxException(text, "epoch in version is negative");
        }
        if (upstream.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "version number is empty");
        }
        if (revision.indexOf('-') >= 0) {
            throw new DebianVersionSyntaxException(text, "revision number contains '-'; only the last '-' starts the revision");
        }
        if (revision.isEmpty() && upstream.indexOf('-') >= 0) {
            throw new DebianVersionSyntaxException(text, "version number contains '-' but there is no revision to separate");
        }
        checkPrintableAscii(text, upstream, "version number");
        checkPrintableAscii(text, revision, "revision number");
    }

    static String format(int epoch, String upstream, String revision) {
        StringBuilder text = new StringBuilder();
        if (epoch != 0 || upstream.indexOf(':') >= 0 || revision.indexOf(':') >= 0) {
            text.append(epoch).append(':');
        }
        text.append(upstream);
        if (!revision.isEmpty()) {
            text.append('-').append(revision);
        }
        return text.toString();
    }

    private static int parseEpoch(String text, String epoch) {
        if (epoch.isEmpty()) {
            throw new DebianVersionSyntaxException(text, "epoch in version is empty");
        }
        long value = 0;
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (!isDigit(c)) {
                throw new DebianVersionSyntaxException(text, "epoch in version is not number");
            }
            value = Math.min(value * 10 + (c - '0'), Integer.MAX_VALUE + 1L);
        }
        if (value > Integer.MAX_VALUE) {
            throw new DebianVersionSyntaxException(text, "epoch in version is too big (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private static void checkPolicy(String text, String upstream, String revision) {
        if (!isDigit(upstream.charAt(0))) {
            throw new DebianVersionSyntaxException(text, "version number does not start with digit");
        }
        checkCharacters(text, upstream, UPSTREAM_PUNCTUATION, "version number");
        checkCharacters(text, revision, REVISION_PUNCTUATION, "revision number");
    }

    private static void checkCharacters(String text, String part, String punctuation, String partName) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!isDigit(c) && !isAsciiLetter(c) && punctuation.indexOf(c) < 0) {
                throw new DebianVersionSyntaxException(text, "invalid character '" + c + "' in " + partName
                        + " (allowed: letters, digits and " + punctuation + ")");
            }
        }
    }

    private static void checkPrintableAscii(String text, String part, String partName) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new DebianVersionSyntaxException(text, String.format(
                        "invalid character U+%04X in %s (only printable ASCII has one order on every machine)", (int) c, partName));
            }
        }
    }

    private static String stripBlanks(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** dpkg's notion of blank (C {@code isblank}): the only white space it trims and the only one it calls a space. */
    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
