package io.dormant.adapters.deb;

import java.io.IOException;

/**
 * A package file that dpkg would refuse, or that Dormant refuses for safety: not a deb, truncated,
 * corrupt, hostile or unsupported. The message names the package file, the ar member in the
 * {@code file.deb(member)} notation of {@code ar} and {@code make}, and where it went wrong.
 */
public final class DebFormatException extends IOException {

    private final String file;
    private final String member;

    private DebFormatException(String file, String member, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.member = member;
    }

    /** A problem at a byte offset of the package file itself. */
    static DebFormatException at(String file, String member, long offset, String problem) {
        return new DebFormatException(file, member, label(file, member) + " at offset " + offset + ": " + problem, null);
    }

    /** A problem inside a member, described by a message that already says where (an entry, an offset). */
    static DebFormatException inside(String file, String member, String problem, Throwable cause) {
        return new DebFormatException(file, member, label(file, member) + ": " + problem, cause);
    }

    static String label(String file, String member) {
        return member == null ? file : file + "(" + member + ")";
    }

    /** The package file's name, as given to the reader. */
    public String file() {
        return file;
    }

    /** The ar member the problem is in, or null for a problem of the ar archive itself. */
    public String member() {
        return member;
    }
}
