package io.dormant.library.posix;

/** Words for a POSIX shell's command line, for commands that Dormant writes or hands to a shell. */
public final class ShellWords {

    private ShellWords() {
    }

    /**
     * {@code word} as the shell will read it back: as it is when it holds only characters the shell
     * takes literally, else in single quotes (a quote inside as {@code '\''}); {@code ''} when empty.
     */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "@%+=:,./_-".indexOf(c) >= 0)) {
            return word;
        }
        return singleQuoted(word);
    }

    /** {@code word} in single quotes whatever it holds (a quote inside as {@code '\''}). */
    public static String singleQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
