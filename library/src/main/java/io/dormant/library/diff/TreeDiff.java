package io.dormant.library.diff;

import io.dormant.library.diff.Change.Kind;
import io.dormant.library.diff.Change.Status;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Names;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two root trees. A subtree whose id is the same on both sides is equal by construction
 * and is not read, so the cost follows the size of the change, not the size of the image.
 */
public final class TreeDiff {
    private final ObjectStore store;
    private long treesRead;

    public TreeDiff(ObjectStore store) {
        this.store = store;
    }

    public DiffResult diff(ObjectId from, ObjectId to) throws IOException {
        treesRead = 0;
        List<Change> out = new ArrayList<>();
        if (!from.equals(to)) {
            compareDirectories(new byte[0], from, to, out);
        }
        return new DiffResult(out, treesRead);
    }

    private void compareDirectories(byte[] path, ObjectId a, ObjectId b, List<Change> out) throws IOException {
        Tree ta = load(a);
        Tree tb = load(b);
        Set<Kind> self = EnumSet.noneOf(Kind.class);
        compareMeta(ta.self(), tb.self(), self);
        if (!self.isEmpty()) {
            out.add(new Change(path, Status.CHANGED, self, EntryType.DIRECTORY, EntryType.DIRECTORY));
        }
        List<TreeEntry> ea = ta.entries();
        List<TreeEntry> eb = tb.entries();
        int i = 0;
        int j = 0;
        while (i < ea.size() || j < eb.size()) {
            int c = i == ea.size() ? 1 : j == eb.size() ? -1 : Names.ORDER.compare(ea.get(i).name(), eb.get(j).name());
            if (c < 0) {
                listAll(Paths.join(path, ea.get(i).name()), ea.get(i++), Status.REMOVED, out);
            } else if (c > 0) {
                listAll(Paths.join(path, eb.get(j).name()), eb.get(j++), Status.ADDED, out);
            } else {
                compareEntries(Paths.join(path, ea.get(i).name()), ea.get(i++), eb.get(j++), out);
            }
        }
    }

    private void compareEntries(byte[] path, TreeEntry a, TreeEntry b, List<Change> out) throws IOException {
        if (a.equals(b)) {
            return;
        }
        if (a.type() != b.type()) {
            out.add(new Change(path, Status.CHANGED, EnumSet.of(Kind.TYPE), a.type(), b.type()));
            if (a.type() == EntryType.DIRECTORY) {
                listChildren(path, a.child(), Status.REMOVED, out);
            }
            if (b.type() == EntryType.DIRECTORY) {
                listChildren(path, b.child(), Status.ADDED, out);
            }
            return;
        }
        if (a.type() == EntryType.DIRECTORY) {
            if (!a.child().equals(b.child())) {
                compareDirectories(path, a.child(), b.child(), out);
            }
            return;
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (!Objects.equals(a.child(), b.child()) || a.size() != b.size()) {
            kinds.add(Kind.CONTENT);
        }
        if (!Arrays.equals(a.target(), b.target())) {
            kinds.add(Kind.TARGET);
        }
        if (a.devMajor() != b.devMajor() || a.devMinor() != b.devMinor()) {
            kinds.add(Kind.DEVICE);
        }
        if (a.meta() != null && b.meta() != null) {
            compareMeta(a.meta(), b.meta(), kinds);
        }
        if (!kinds.isEmpty()) {
            out.add(new Change(path, Status.CHANGED, kinds, a.type(), b.type()));
        }
    }

    private static void compareMeta(Metadata a, Metadata b, Set<Kind> kinds) {
        if (a.mode() != b.mode()) {
            kinds.add(Kind.MODE);
        }
        if (a.uid() != b.uid() || a.gid() != b.gid()) {
            kinds.add(Kind.OWNER);
        }
        if (!a.sameXattrs(b)) {
            kinds.add(Kind.XATTRS);
        }
        if (!a.sameMtime(b)) {
            kinds.add(Kind.MTIME);
        }
    }

    private void listAll(byte[] path, TreeEntry e, Status status, List<Change> out) throws IOException {
        out.add(new Change(path, status, Set.of(), status == Status.REMOVED ? e.type() : null,
                status == Status.ADDED ? e.type() : null));
        if (e.type() == EntryType.DIRECTORY) {
            listChildren(path, e.child(), status, out);
        }
    }

    private void listChildren(byte[] path, ObjectId tree, Status status, List<Change> out) throws IOException {
        for (TreeEntry child : load(tree).entries()) {
            listAll(Paths.join(path, child.name()), child, status, out);
        }
    }

    private Tree load(ObjectId id) throws IOException {
        treesRead++;
        return Trees.load(store, id);
    }
}
