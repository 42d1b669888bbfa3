package io.dormant.library.maintenance;

import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks the trees under a set of roots, each shared subtree once, and remembers for every object
 * one path that reaches it, so that a problem can be reported as "version web@3, /usr/bin/x".
 */
final class ReachableObjects {

    /** Where an object was first met: the version and the image path. */
    record Origin(String version, String path, boolean tree) {
    }

    interface TreeProblem {
        void unreadable(ObjectId tree, Origin origin, Exception problem);
    }

    private final ObjectStore store;
    private final Map<ObjectId, Origin> objects = new HashMap<>();

    ReachableObjects(ObjectStore store) {
        this.store = store;
    }

    Map<ObjectId, Origin> objects() {
        return objects;
    }

    void walk(ObjectId root, String version, TreeProblem problems) {
        record Pending(ObjectId tree, String path) {
        }
        Deque<Pending> pending = new ArrayDeque<>();
        if (objects.putIfAbsent(root, new Origin(version, "/", true)) == null) {
            pending.push(new Pending(root, ""));
        }
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            Tree tree;
            try {
                tree = Trees.load(store, next.tree());
            } catch (IOException | RuntimeException e) {
                problems.unreadable(next.tree(), objects.get(next.tree()), e);
                continue;
            }
            for (TreeEntry entry : tree.entries()) {
                String path = next.path() + "/" + entry.nameString();
                if (entry.type() == EntryType.DIRECTORY) {
                    if (objects.putIfAbsent(entry.child(), new Origin(version, path, true)) == null) {
                        pending.push(new Pending(entry.child(), path));
                    }
                } else if (entry.type() == EntryType.FILE) {
                    objects.putIfAbsent(entry.child(), new Origin(version, path, false));
                }
            }
        }
    }
}
