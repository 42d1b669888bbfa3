package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One name in a tree. Which fields are set depends on the type:
 * <ul>
 * <li>FILE: meta, size, child (the blob)</li>
 * <li>DIRECTORY: child (the tree) only; the directory's own metadata is in that tree, so the
 *     image root has metadata too and a subtree is one self-contained object</li>
 * <li>SYMLINK: meta, target (bytes, unresolved), size = target length</li>
 * <li>HARDLINK: target = image path of the first member of the link group, relative to the root
 *     without a leading slash; all other attributes are that member's</li>
 * <li>CHAR_DEVICE, BLOCK_DEVICE: meta, devMajor, devMinor; FIFO, SOCKET: meta</li>
 * </ul>
 * Unused fields are null or zero. The name is raw bytes (need not be UTF-8).
 */
public record TreeEntry(byte[] name, EntryType type, Metadata meta, long size, byte[] target, int devMajor,
                        int devMinor, ObjectId child) {

    public TreeEntry {
        Objects.requireNonNull(type, "type");
        Names.check(name);
        switch (type) {
            case FILE -> require(meta != null && child != null && size >= 0, "a file needs metadata and a blob");
            case DIRECTORY -> require(child != null, "a directory needs its tree");
            case SYMLINK -> require(meta != null && target != null && target.length > 0, "a symlink needs metadata and a target");
            case HARDLINK -> require(target != null && target.length > 0, "a hardlink needs the path of its first link");
            default -> require(meta != null, "a special file needs metadata");
        }
        if (type == EntryType.SYMLINK) {
            size = target.length;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static TreeEntry file(byte[] name, Metadata meta, long size, ObjectId blob) {
        return new TreeEntry(name, EntryType.FILE, meta, size, null, 0, 0, blob);
    }

    public static TreeEntry directory(byte[] name, ObjectId tree) {
        return new TreeEntry(name, EntryType.DIRECTORY, null, 0, null, 0, 0, tree);
    }

    public static TreeEntry symlink(byte[] name, Metadata meta, byte[] target) {
        return new TreeEntry(name, EntryType.SYMLINK, meta, target.length, target, 0, 0, null);
    }

    public static TreeEntry hardlink(byte[] name, byte[] firstPath) {
        return new TreeEntry(name, EntryType.HARDLINK, null, 0, firstPath, 0, 0, null);
    }

    public static TreeEntry special(byte[] name, EntryType type, Metadata meta, int major, int minor) {
        return new TreeEntry(name, type, meta, 0, null, major, minor, null);
    }

    public TreeEntry withName(byte[] newName) {
        return new TreeEntry(newName, type, meta, size, target, devMajor, devMinor, child);
    }

    public TreeEntry withMeta(Metadata newMeta) {
        return new TreeEntry(name, type, newMeta, size, target, devMajor, devMinor, child);
    }

    public String nameString() {
        return new String(name, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeEntry e && Arrays.equals(name, e.name) && type == e.type && Objects.equals(meta, e.meta)
                && size == e.size && Arrays.equals(target, e.target) && devMajor == e.devMajor && devMinor == e.devMinor
                && Objects.equals(child, e.child);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "TreeEntry[" + nameString() + " " + type + (meta == null ? "" : " " + meta)
                + (child == null ? "" : " " + child.hex().substring(0, 12))
                + (target == null ? "" : " -> " + new String(target, StandardCharsets.UTF_8)) + "]";
    }
}
