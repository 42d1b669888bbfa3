package io.dormant.library.workspace;

import java.io.IOException;

/** A workspace operation that cannot be done on the image path it names, and why. */
public final class WorkspaceException extends IOException {
    /** The errno-like reason, for callers that react to it. */
    public enum Reason { NO_SUCH_ENTRY, NOT_A_DIRECTORY, IS_A_DIRECTORY, EXISTS, NOT_EMPTY, SYMLINK_LOOP, INVALID, CLOSED }

    private final Reason reason;
    private final String path;

    public WorkspaceException(Reason reason, String path, String problem) {
        super(path + ": " + problem);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    public String path() {
        return path;
    }
}
