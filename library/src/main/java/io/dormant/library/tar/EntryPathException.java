package io.dormant.library.tar;

import java.io.IOException;

/** An archive entry name or link that would place something outside the image or through a symlink. */
public final class EntryPathException extends IOException {
    /** What is wrong, for callers that react to a kind of problem rather than to a message. */
    public enum Problem {
        EMPTY, ABSOLUTE, DOT_DOT, NUL, NAME_TOO_LONG, THROUGH_SYMLINK, NOT_A_DIRECTORY, REPLACES_DIRECTORY,
        HARDLINK_UNKNOWN, HARDLINK_TO_DIRECTORY
    }

    private final Problem problem;

    public EntryPathException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
