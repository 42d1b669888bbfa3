package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes an assembled image (a tree of {@link ImageNode}s) into the store bottom-up and returns
 * the root tree id. Every importer ends here, so the same content gives the same id whatever it
 * was imported from.
 */
public final class TreeWriter {
    private final ObjectStore store;
    private final Map<ImageNode, byte[]> firstPath = new IdentityHashMap<>();
    private final Map<ImageNode, ObjectId> written = new IdentityHashMap<>();
    private long trees;

    public TreeWriter(ObjectStore store) {
        this.store = store;
    }

    public ObjectId write(ImageNode root) throws IOException {
        if (root.type() != EntryType.DIRECTORY) {
            throw new IllegalArgumentException("the root of an image is a directory");
        }
        assignFirstPaths(root, new byte[0]);
        return writeDirectory(root, new byte[0]);
    }

    /** The tree this writer made of directory {@code dir}, or null if it wrote none of it. */
    public ObjectId treeOf(ImageNode dir) {
        return written.get(dir);
    }

    /** How many tree objects the last write encoded (stored or already present). */
    public long treesWritten() {
        return trees;
    }

    /** Canonical order: depth first, names by unsigned bytes; the first place of a node wins. */
    private void assignFirstPaths(ImageNode dir, byte[] path) {
        for (Map.Entry<byte[], ImageNode> e : dir.children().entrySet()) {
            byte[] childPath = Paths.join(path, e.getKey());
            ImageNode child = e.getValue();
            if (child.type() == EntryType.DIRECTORY) {
                assignFirstPaths(child, childPath);
            } else {
                firstPath.putIfAbsent(child, childPath);
            }
        }
    }

    private ObjectId writeDirectory(ImageNode dir, byte[] path) throws IOException {
        if (dir.storedTree() != null) {
            return dir.storedTree();
        }
        TreeEntry[] entries = new TreeEntry[dir.children().size()];
        int i = 0;
        for (Map.Entry<byte[], ImageNode> e : dir.children().entrySet()) {
            byte[] childPath = Paths.join(path, e.getKey());
            ImageNode child = e.getValue();
            if (child.type() == EntryType.DIRECTORY) {
                entries[i++] = child.toEntry(e.getKey(), writeDirectory(child, childPath));
            } else {
                byte[] first = firstPath.get(child);
                if (first != null && !Arrays.equals(first, childPath)) {
                    entries[i++] = TreeEntry.hardlink(e.getKey(), first);
                } else {
                    if (child.type() == EntryType.FILE && child.blob() == null) {
                        throw new IllegalStateException("no content for " + Paths.display(childPath));
                    }
                    entries[i++] = child.toEntry(e.getKey(), null);
                }
            }
        }
        trees++;
        ObjectId id = store.putTree(new Tree(dir.meta(), Arrays.asList(entries)).encode());
        written.put(dir, id);
        return id;
    }
}
