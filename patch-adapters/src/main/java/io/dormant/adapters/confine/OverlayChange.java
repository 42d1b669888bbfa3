package io.dormant.adapters.confine;

/**
 * One change an overlay's upper dir holds, by image path ({@code /etc/passwd}).
 *
 * @param path the absolute path inside the image
 * @param kind what the upper dir says happened there
 */
public record OverlayChange(String path, Kind kind) {

    public enum Kind {
        /** A file, symlink, device or new directory written over or beside the lower dir. */
        ADDED_OR_CHANGED,
        /** A whiteout: the lower dir's entry is gone. */
        DELETED,
        /** A directory that hides everything the lower dir had under it (removed, then made again). */
        OPAQUE_DIR
    }
}
