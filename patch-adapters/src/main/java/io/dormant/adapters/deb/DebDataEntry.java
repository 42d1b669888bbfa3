package io.dormant.adapters.deb;

/**
 * One entry of a deb's data archive after its name went through the entry-path resolver.
 *
 * @param path        relative to the image root, without "./" and never with "..": "usr/bin/hello";
 *                    empty for the root directory entry "./"
 * @param type        what the entry is
 * @param mode        permission bits, including set-id and sticky bits
 * @param size        content bytes of a file, 0 for anything else
 * @param linkTarget  a symlink's target as written (may be absolute: it is resolved inside the image
 *                    when written); a hardlink's earlier entry as a resolved path; empty otherwise
 * @param offset      where the entry's header starts in the uncompressed data.tar
 */
public record DebDataEntry(String path, Type type, int mode, long uid, long gid, String user, String group,
                           long size, long mtimeSeconds, String linkTarget, int devMajor, int devMinor, long offset) {

    /** The entry kinds dpkg unpacks. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHARACTER_DEVICE, BLOCK_DEVICE, FIFO
    }
}
