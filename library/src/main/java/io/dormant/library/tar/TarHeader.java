package io.dormant.library.tar;

import java.util.SortedMap;

/**
 * One member of a tar archive after its GNU long-name and PAX records are applied. {@code type}
 * is the typeflag byte ('0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' directory,
 * '6' fifo); {@code offset} is where its first header starts in the uncompressed archive.
 */
record TarHeader(byte[] name, char type, int mode, long uid, long gid, long size, long mtimeSeconds, int mtimeNanos,
                 byte[] linkName, int devMajor, int devMinor, SortedMap<String, byte[]> xattrs, long offset) {

    String displayName() {
        return Printable.of(name);
    }
}
