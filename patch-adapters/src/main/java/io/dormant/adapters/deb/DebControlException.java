package io.dormant.adapters.deb;

import java.io.IOException;

/**
 * A control paragraph (a package's control file, a dpkg status file, a conffiles or triggers
 * file) that dpkg would not read. Carries where (source and line) and the problem separately, so
 * that a caller that knows more (the package file, its member) can say so.
 */
public final class DebControlException extends IOException {

    private final String source;
    private final String problem;

    DebControlException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** Where: a file name, with a line number when the problem is on one line. */
    public String source() {
        return source;
    }

    /** What is wrong, without where. */
    public String problem() {
        return problem;
    }
}
