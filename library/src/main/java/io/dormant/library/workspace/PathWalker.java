package io.dormant.library.workspace;

import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves image paths inside the image, the way the kernel would inside a chroot: symlinks are
 * followed in the image only, an absolute target starts again at the image root, ".." at the
 * root stays at the root, and more than 40 symlinks is a loop. It never looks at the host.
 */
final class PathWalker {
    static final int MAX_SYMLINKS = 40;

    private final ObjectStore store;

    PathWalker(ObjectStore store) {
        this.store = store;
    }

    /**
     * Where a path ends: the directory holding the last name, the name, its entry (null when it
     * does not exist) and its canonical path. For the root, dir is null.
     */
    record Located(DirState dir, byte[] name, TreeEntry entry, byte[] path) {
        boolean isRoot() {
            return dir == null;
        }

        boolean exists() {
            return isRoot() || entry != null;
        }
    }

    Located locate(DirState root, String path, boolean followLast) throws IOException {
        return locate(root, path.getBytes(StandardCharsets.UTF_8), followLast, path);
    }

    Located locate(DirState root, byte[] path, boolean followLast, String shown) throws IOException {
        Deque<byte[]> todo = new ArrayDeque<>(Paths.split(path));
        List<DirState> dirs = new ArrayList<>();
        List<byte[]> names = new ArrayList<>();
        dirs.add(root);
        int symlinks = 0;
        if (todo.isEmpty()) {
            return new Located(null, new byte[0], null, new byte[0]);
        }
        while (!todo.isEmpty()) {
            byte[] name = todo.pop();
            if (isDot(name)) {
                if (todo.isEmpty()) {
                    return current(dirs, names);
                }
                continue;
            }
            if (isDotDot(name)) {
                if (dirs.size() > 1) {
                    dirs.remove(dirs.size() - 1);
                    names.remove(names.size() - 1);
                }
                if (todo.isEmpty()) {
                    return current(dirs, names);
                }
                continue;
            }
            DirState dir = dirs.get(dirs.size() - 1);
            TreeEntry e = dir.get(store, name);
            boolean last = todo.isEmpty();
            if (e == null) {
                if (last) {
                    return new Located(dir, name, null, join(names, name));
                }
                throw new WorkspaceException(Reason.NO_SUCH_ENTRY, shown, "'" + Paths.display(join(names, name)) + "' does not exist");
            }
            if (e.type() == EntryType.SYMLINK && (!last || followLast)) {
                if (++symlinks > MAX_SYMLINKS) {
                    throw new WorkspaceException(Reason.SYMLINK_LOOP, shown, "more than " + MAX_SYMLINKS + " symlinks; a loop");
                }
                List<byte[]> target = Paths.split(e.target());
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.push(target.get(i));
                }
                if (e.target()[0] == '/') {
                    // Absolute targets are relative to the image root, never to the host's.
                    dirs.subList(1, dirs.size()).clear();
                    names.clear();
                }
                if (todo.isEmpty()) {
                    return current(dirs, names);
                }
                continue;
            }
            if (last) {
                return new Located(dir, name, e, join(names, name));
            }
            if (e.type() != EntryType.DIRECTORY) {
                throw new WorkspaceException(Reason.NOT_A_DIRECTORY, shown, "'" + Paths.display(join(names, name)) + "' is not a directory");
            }
            dirs.add(dir.subdir(store, name));
            names.add(name);
        }
        throw new IllegalStateException("unreachable");
    }

    /** The directory state at the end of a path that names a directory (after following links). */
    DirState directory(DirState root, String path) throws IOException {
        Located l = locate(root, path, true);
        if (l.isRoot()) {
            return root;
        }
        if (l.entry() == null) {
            throw new WorkspaceException(Reason.NO_SUCH_ENTRY, path, "does not exist");
        }
        if (l.entry().type() != EntryType.DIRECTORY) {
            throw new WorkspaceException(Reason.NOT_A_DIRECTORY, path, "is not a directory");
        }
        return l.dir().subdir(store, l.name());
    }

    private Located current(List<DirState> dirs, List<byte[]> names) throws IOException {
        if (names.isEmpty()) {
            return new Located(null, new byte[0], null, new byte[0]);
        }
        DirState parent = dirs.get(dirs.size() - 2);
        byte[] name = names.get(names.size() - 1);
        return new Located(parent, name, parent.get(store, name), join(names.subList(0, names.size() - 1), name));
    }

    private static byte[] join(List<byte[]> names, byte[] last) {
        byte[] p = new byte[0];
        for (byte[] n : names) {
            p = Paths.join(p, n);
        }
        return Paths.join(p, last);
    }

    private static boolean isDot(byte[] n) {
        return n.length == 1 && n[0] == '.';
    }

    private static boolean isDotDot(byte[] n) {
        return n.length == 2 && n[0] == '.' && n[1] == '.';
    }
}
