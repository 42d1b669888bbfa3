package io.dormant.library.diff;

import io.dormant.library.tree.EntryType;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One path that differs between two trees. {@code kinds} says what differs for a CHANGED path
 * (empty for ADDED and REMOVED). The path is the image path with a leading slash; the root is "/".
 */
public record Change(byte[] rawPath, Status status, Set<Kind> kinds, EntryType oldType, EntryType newType) {
    public enum Status { ADDED, REMOVED, CHANGED }

    /** What about a path changed; MTIME is reported on its own so callers can ignore it. */
    public enum Kind { TYPE, CONTENT, MODE, OWNER, XATTRS, TARGET, DEVICE, MTIME }

    public String path() {
        return "/" + new String(rawPath, StandardCharsets.UTF_8);
    }

    /** True when something other than the mtime changed. */
    public boolean isSubstantive() {
        return status != Status.CHANGED || kinds.stream().anyMatch(k -> k != Kind.MTIME);
    }

    @Override
    public String toString() {
        return status + " " + path() + (kinds.isEmpty() ? "" : " " + kinds);
    }
}
