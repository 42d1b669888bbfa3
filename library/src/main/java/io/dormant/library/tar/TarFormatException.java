package io.dormant.library.tar;

import java.io.IOException;

/**
 * A tar archive that cannot be imported: corrupt, truncated, hostile or unsupported. The message
 * names the entry (when there is one), the offset of its header in the uncompressed archive,
 * and the problem.
 */
public class TarFormatException extends IOException {
    private final String entry;
    private final long offset;

    public TarFormatException(String entry, long offset, String problem) {
        this(entry, offset, problem, null);
    }

    public TarFormatException(String entry, long offset, String problem, Throwable cause) {
        super((entry == null ? "archive" : "entry '" + entry + "'") + " at offset " + offset + ": " + problem, cause);
        this.entry = entry;
        this.offset = offset;
    }

    /** The entry name as read (decoded leniently), or null for a problem outside any entry. */
    public String entry() {
        return entry;
    }

    /** Offset in the uncompressed archive of the header of the entry, or where the problem was found. */
    public long offset() {
        return offset;
    }
}
