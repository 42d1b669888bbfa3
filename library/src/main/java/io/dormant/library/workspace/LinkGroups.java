package io.dormant.library.workspace;

import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.workspace.PathWalker.Located;
import io.dormant.library.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps hardlink groups whole and canonical while a workspace deletes, renames and links: when
 * the name holding a group's inode goes away or moves, the canonically first surviving name
 * takes it over and the other names are pointed at it, so check-in gives the same trees a fresh
 * import of the same files would.
 */
final class LinkGroups {
    private final DirState root;
    private final StagingStore staged;
    private Hardlinks links;

    LinkGroups(DirState root, StagingStore staged) {
        this.root = root;
        this.staged = staged;
    }

    /** link(2): {@code to} (absent) becomes another name of {@code from}'s inode. */
    void link(Located from, Located to) throws IOException {
        Hardlinks h = links();
        byte[] first = from.entry().type() == EntryType.HARDLINK ? from.entry().target() : from.path();
        TreeEntry inode = entryAt(first);
        List<byte[]> members = new ArrayList<>(h.linksOf(first));
        members.add(first);
        members.add(to.path());
        to.dir().put(staged, TreeEntry.hardlink(to.name(), first));
        regroup(inode, first, members);
    }

    Hardlinks links() throws IOException {
        if (links == null) {
            links = Hardlinks.scan(root, staged);
        }
        return links;
    }

    /** Removes an entry (and a whole subtree), keeping every hardlink group that survives intact. */
    void remove(Located l) throws IOException {
        EntryType type = l.entry().type();
        if (type == EntryType.HARDLINK) {
            if (links != null) {
                links.removeLink(l.entry().target(), l.path());
            }
            l.dir().remove(staged, l.name());
            return;
        }
        Hardlinks h = links();
        List<Object[]> survivors = new ArrayList<>();
        for (byte[] first : h.groupsTouching(l.path())) {
            List<byte[]> members = new ArrayList<>();
            for (byte[] p : h.linksOf(first)) {
                if (!Hardlinks.under(p, l.path())) {
                    members.add(p);
                }
            }
            if (!Hardlinks.under(first, l.path())) {
                members.add(first);
            }
            survivors.add(new Object[] {entryAt(first), first, members});
        }
        l.dir().remove(staged, l.name());
        for (Object[] s : survivors) {
            @SuppressWarnings("unchecked")
            List<byte[]> members = (List<byte[]>) s[2];
            regroup((TreeEntry) s[0], (byte[]) s[1], members);
        }
    }

    void move(Located src, Located dst) throws IOException {
        Hardlinks h = links();
        List<Object[]> groups = new ArrayList<>();
        for (byte[] first : h.groupsTouching(src.path())) {
            List<byte[]> members = new ArrayList<>();
            for (byte[] p : h.linksOf(first)) {
                members.add(moved(p, src.path(), dst.path()));
            }
            members.add(moved(first, src.path(), dst.path()));
            groups.add(new Object[] {entryAt(first), first, members});
        }
        TreeEntry e = src.entry();
        if (e.type() == EntryType.DIRECTORY) {
            DirState d = src.dir().subdir(staged, src.name());
            src.dir().remove(staged, src.name());
            dst.dir().adopt(staged, dst.name(), d);
        } else {
            src.dir().remove(staged, src.name());
            dst.dir().put(staged, e.withName(dst.name()));
        }
        for (Object[] g : groups) {
            @SuppressWarnings("unchecked")
            List<byte[]> members = (List<byte[]>) g[2];
            regroup((TreeEntry) g[0], (byte[]) g[1], members);
        }
    }

    private static byte[] moved(byte[] path, byte[] from, byte[] to) {
        if (!Hardlinks.under(path, from)) {
            return path;
        }
        byte[] rest = Arrays.copyOfRange(path, from.length, path.length);
        byte[] out = Arrays.copyOf(to, to.length + rest.length);
        System.arraycopy(rest, 0, out, to.length, rest.length);
        return out;
    }

    /**
     * Rewrites a hardlink group in canonical form: the inode at the canonically first member,
     * HARDLINK entries naming it at the others. Keeps trees identical to a fresh import.
     */
    private void regroup(TreeEntry inode, byte[] oldFirst, List<byte[]> members) throws IOException {
        if (members.isEmpty()) {
            links().replaceGroup(oldFirst, oldFirst, List.of());
            return;
        }
        members.sort(Paths::compareCanonical);
        byte[] first = members.get(0);
        exactParent(first).put(staged, inode.withName(last(first)));
        List<byte[]> others = members.subList(1, members.size());
        for (byte[] m : others) {
            exactParent(m).put(staged, TreeEntry.hardlink(last(m), first));
        }
        links().replaceGroup(oldFirst, first, new ArrayList<>(others));
    }

    /** The entry at a canonical path, reached through real directories only. */
    TreeEntry entryAt(byte[] path) throws IOException {
        TreeEntry e = exactParent(path).get(staged, last(path));
        if (e == null) {
            throw new WorkspaceException(Reason.NO_SUCH_ENTRY, Paths.display(path), "a hardlink names it, but it does not exist");
        }
        return e;
    }

    DirState exactParent(byte[] path) throws IOException {
        List<byte[]> names = Paths.split(path);
        DirState d = root;
        for (int i = 0; i < names.size() - 1; i++) {
            TreeEntry e = d.get(staged, names.get(i));
            if (e == null || e.type() != EntryType.DIRECTORY) {
                throw new WorkspaceException(Reason.NOT_A_DIRECTORY, Paths.display(path), "is not under real directories");
            }
            d = d.subdir(staged, names.get(i));
        }
        return d;
    }

    static byte[] last(byte[] path) {
        List<byte[]> names = Paths.split(path);
        return names.get(names.size() - 1);
    }
}
