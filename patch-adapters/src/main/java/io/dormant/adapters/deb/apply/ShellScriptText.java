package io.dormant.adapters.deb.apply;

import java.util.regex.Pattern;

/** What the rewrites of a maintainer script's sandbox copy need to know of its first line. */
final class ShellScriptText {

    private static final Pattern SHELL = Pattern.compile("^#! ?/bin/(sh|dash|bash)( -e)?\\s*$");

    private ShellScriptText() {
    }

    /**
     * The end of the first line of a POSIX shell script (where a rewrite puts its functions), or
     * -1 when {@code text} is no such script: only those are rewritten.
     */
    static int firstLineEnd(String text) {
        int end = text.indexOf('\n');
        return end >= 0 && SHELL.matcher(text.substring(0, end)).matches() ? end : -1;
    }
}
