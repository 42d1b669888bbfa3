package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import java.util.TreeMap;

/**
 * A file, directory or special file being assembled by an importer before its trees are written.
 * A hardlink group is one node placed under several names: node identity is inode identity, and
 * {@link TreeWriter} turns every place but the first (in canonical order) into a HARDLINK entry.
 */
public final class ImageNode {
    private final EntryType type;
    private Metadata meta;
    private long size;
    private ObjectId blob;
    private byte[] target;
    private int devMajor;
    private int devMinor;
    private ObjectId storedTree;
    private final TreeMap<byte[], ImageNode> children;

    private ImageNode(EntryType type, Metadata meta) {
        if (type == EntryType.HARDLINK) {
            throw new IllegalArgumentException("a hardlink is a node under a second name, not a node type");
        }
        this.type = type;
        this.meta = meta;
        this.children = type == EntryType.DIRECTORY ? new TreeMap<>(Names.ORDER) : null;
    }

    public static ImageNode directory(Metadata meta) {
        return new ImageNode(EntryType.DIRECTORY, meta);
    }

    /**
     * A directory that is in the store already as {@code tree}, written as it is: an importer that
     * knows a subtree did not change need not encode it again. Its metadata is inside the tree and
     * it has no children here. No hardlink group may have names both under it and elsewhere: the
     * first name of a group in canonical order decides how every tree refers to the group.
     */
    public static ImageNode storedDirectory(ObjectId tree) {
        ImageNode n = new ImageNode(EntryType.DIRECTORY, null);
        n.storedTree = tree;
        return n;
    }

    /** The tree of a directory made by {@link #storedDirectory}, else null. */
    public ObjectId storedTree() {
        return storedTree;
    }

    /** A file whose blob may be set later, once its content is hashed. */
    public static ImageNode file(Metadata meta, long size, ObjectId blob) {
        ImageNode n = new ImageNode(EntryType.FILE, meta);
        n.size = size;
        n.blob = blob;
        return n;
    }

    public static ImageNode symlink(Metadata meta, byte[] target) {
        ImageNode n = new ImageNode(EntryType.SYMLINK, meta);
        n.target = target;
        n.size = target.length;
        return n;
    }

    public static ImageNode special(EntryType type, Metadata meta, int major, int minor) {
        ImageNode n = new ImageNode(type, meta);
        n.devMajor = major;
        n.devMinor = minor;
        return n;
    }

    public EntryType type() {
        return type;
    }

    public Metadata meta() {
        return meta;
    }

    public void setMeta(Metadata meta) {
        this.meta = meta;
    }

    public long size() {
        return size;
    }

    public ObjectId blob() {
        return blob;
    }

    public void setBlob(ObjectId blob, long size) {
        this.blob = blob;
        this.size = size;
    }

    public byte[] target() {
        return target;
    }

    public int devMajor() {
        return devMajor;
    }

    public int devMinor() {
        return devMinor;
    }

    /** The children of a directory by name, sorted; live, so importers add to it. */
    public TreeMap<byte[], ImageNode> children() {
        if (children == null) {
            throw new IllegalStateException("a " + type + " has no children");
        }
        return children;
    }

    /** The tree entry for this node under {@code name}; {@code child} is the tree id for a directory. */
    TreeEntry toEntry(byte[] name, ObjectId childTree) {
        return switch (type) {
            case FILE -> TreeEntry.file(name, meta, size, blob);
            case DIRECTORY -> TreeEntry.directory(name, childTree);
            case SYMLINK -> TreeEntry.symlink(name, meta, target);
            default -> TreeEntry.special(name, type, meta, devMajor, devMinor);
        };
    }
}
