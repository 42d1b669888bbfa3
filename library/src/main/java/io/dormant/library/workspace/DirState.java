package io.dormant.library.workspace;

import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Names;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One directory of a workspace. It is read from its tree object only when first visited; until it
 * changes, {@code base} names that tree and check-in reuses it. A change marks the directory and
 * every ancestor dirty, which is exactly the set of trees check-in writes.
 */
final class DirState {
    /** Stands in for the tree id of a directory that is not written yet. */
    static final ObjectId PENDING = ObjectId.of(new byte[ObjectId.LENGTH]);

    DirState parent;
    private final ObjectId base;
    private Metadata self;
    private TreeMap<byte[], TreeEntry> entries;
    private final Map<byte[], DirState> subdirs = new TreeMap<>(Names.ORDER);
    private boolean dirty;

    DirState(DirState parent, ObjectId base) {
        this.parent = parent;
        this.base = base;
    }

    /** A directory created in the workspace. */
    static DirState created(DirState parent, Metadata meta) {
        DirState d = new DirState(parent, null);
        d.self = meta;
        d.entries = new TreeMap<>(Names.ORDER);
        d.dirty = true;
        return d;
    }

    private void load(ObjectStore store) throws IOException {
        if (entries == null) {
            Tree t = Trees.load(store, base);
            self = t.self();
            entries = new TreeMap<>(Names.ORDER);
            for (TreeEntry e : t.entries()) {
                entries.put(e.name(), e);
            }
        }
    }

    Metadata self(ObjectStore store) throws IOException {
        load(store);
        return self;
    }

    void setSelf(Metadata meta) {
        self = meta;
        touch();
    }

    TreeEntry get(ObjectStore store, byte[] name) throws IOException {
        load(store);
        return entries.get(name);
    }

    List<TreeEntry> list(ObjectStore store) throws IOException {
        load(store);
        return new ArrayList<>(entries.values());
    }

    boolean isEmpty(ObjectStore store) throws IOException {
        load(store);
        return entries.isEmpty();
    }

    void put(ObjectStore store, TreeEntry entry) throws IOException {
        load(store);
        entries.put(entry.name(), entry);
        touch();
    }

    /** Removes an entry, and the state of its directory if it was visited. */
    DirState remove(ObjectStore store, byte[] name) throws IOException {
        load(store);
        entries.remove(name);
        touch();
        return subdirs.remove(name);
    }

    /** The state of the subdirectory {@code name}, read on first visit. */
    DirState subdir(ObjectStore store, byte[] name) throws IOException {
        load(store);
        DirState d = subdirs.get(name);
        if (d == null) {
            d = new DirState(this, entries.get(name).child());
            subdirs.put(name, d);
        }
        return d;
    }

    /** Places a subdirectory state (created or moved here) under {@code name}. */
    void adopt(ObjectStore store, byte[] name, DirState d) throws IOException {
        load(store);
        d.parent = this;
        subdirs.put(name, d);
        entries.put(name, TreeEntry.directory(name, d.base != null ? d.base : PENDING));
        d.touch();
    }

    void touch() {
        for (DirState d = this; d != null && !d.dirty; d = d.parent) {
            d.dirty = true;
        }
        // An ancestor may be clean while this one was already dirty (a moved directory).
        for (DirState d = parent; d != null; d = d.parent) {
            d.dirty = true;
        }
    }

    boolean isDirty() {
        return dirty;
    }

    /** Writes this directory and every dirty one below it; returns its tree id. */
    ObjectId write(ObjectStore store, long[] treesWritten) throws IOException {
        if (!dirty) {
            return base;
        }
        load(store);
        for (Map.Entry<byte[], DirState> s : subdirs.entrySet()) {
            ObjectId id = s.getValue().write(store, treesWritten);
            entries.put(s.getKey(), TreeEntry.directory(s.getKey(), id));
        }
        treesWritten[0]++;
        return store.putTree(new Tree(self, new ArrayList<>(entries.values())).encode());
    }
}
