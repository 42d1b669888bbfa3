package io.dormant.library.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The disk image a version was imported from, as it was then. An export as a disk image writes a
 * qcow2 overlay on this file, holding only what changed since; the overlay is only right while the
 * file is exactly as it was imported. Its size, mtime and ctime are kept to check that: a write moves
 * the mtime, and the ctime also moves when someone sets the mtime back ({@code touch -r}).
 */
public record DiskOrigin(Path path, DiskFormat format, long size, long modifiedNanos, long changedNanos) {

    static DiskOrigin of(DiskImageFile image) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(image.path(), BasicFileAttributes.class);
        FileTime changed = (FileTime) Files.getAttribute(image.path(), "unix:ctime");
        return new DiskOrigin(image.path(), image.format(), attributes.size(),
                attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), changed.to(TimeUnit.NANOSECONDS));
    }

    /** Fails when an export to {@code target} would replace this disk, which the export builds on. */
    void checkNotReplacedBy(Path target) throws IOException {
        boolean same = target.toAbsolutePath().normalize().equals(path)
                || (Files.exists(target) && Files.isSameFile(target, path));
        if (same) {
            throw new DiskImageException(target + " is the disk image the export builds on; write the new disk"
                    + " to another file");
        }
    }

    /** Fails, saying what to do, when the file is gone or was written since the import. */
    void checkUnchanged(String version) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new DiskImageException(version + " was imported from the disk image " + path + ", which is gone;"
                    + " a disk export builds on it. Put it back, or export as dir or tar");
        }
        DiskOrigin now = of(new DiskImageFile(path, format));
        if (now.size != size || now.modifiedNanos != modifiedNanos || now.changedNanos != changedNanos) {
            throw new DiskImageException("the disk image " + path + " changed since " + version + " was imported from it"
                    + " (it was booted or written to); a disk export must build on the disk as imported. Restore it,"
                    + " or import it again as a new version and patch that");
        }
    }
}
