package io.dormant.library.fs;

import io.dormant.library.posix.HostPaths;
import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.store.StoreStats;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One walk of a source directory for {@link DirectoryImporter}: the state that lives only while it
 * runs. It takes from the stat cache whatever is still true (see {@link StatCache}), and reads the
 * rest from the host: a file's content on the pool, everything else on the walking thread.
 */
final class ImportWalk {
    private final ObjectStore store;
    private final StatCache previous;
    private final StatCache next;
    private final long trustBefore;
    private final Progress progress;
    private final ExecutorService pool;
    private final Map<Long, Map<Long, ImageNode>> links = new HashMap<>();
    private final List<Future<?>> pending = new ArrayList<>();
    private final List<WrittenDirectory> written = new ArrayList<>();
    private final List<OtherName> otherNames = new ArrayList<>();
    private final AtomicLong filesHashed = new AtomicLong();
    private final AtomicLong bytesHashed = new AtomicLong();
    private long files;
    private long directories;
    private long others;
    private long bytes;

    private record Inode(long dev, long ino) {
    }

    /** A directory whose tree is written after the walk, then recorded in the stat cache. */
    private record WrittenDirectory(byte[] path, HostStat stat, ImageNode node) {
    }

    /** A second name of a hardlink group, recorded once the group's content is hashed. */
    private record OtherName(byte[] path, HostStat stat, ImageNode node) {
    }

    ImportWalk(ObjectStore store, StatCache previous, StatCache next, long trustBefore, Progress progress, ExecutorService pool) {
        this.store = store;
        this.previous = previous;
        this.next = next;
        this.trustBefore = trustBefore;
        this.progress = progress;
        this.pool = pool;
    }

    /**
     * Adds the entries of {@code dir} to {@code node}. Returns the tree of the directory when
     * it and everything under it is exactly as recorded (its tree need not be written again),
     * else null. A directory whose own lstat is unchanged has the same names as recorded (a
     * name added, removed or renamed in it moves its mtime), so it is not listed again.
     */
    ObjectId directory(Path dir, byte[] hostDir, byte[] dirPath, ImageNode node, HostStat dirStat, StatCache.Entry cached)
            throws IOException {
        boolean listed = cached == null || cached.names() == null;
        boolean unchanged = !listed && cached.id() != null;
        Map<Inode, long[]> groups = new HashMap<>();
        for (byte[] name : listed ? list(dir) : cached.names()) {
            byte[] host = hostPath(hostDir, name);
            byte[] path = Paths.join(dirPath, name);
            HostStat st = stat(dir, name, host, listed);
            if (st.type() == null) {
                throw new IOException("unknown file type " + Integer.toOctalString(st.mode()) + " at " + HostPaths.child(dir, name));
            }
            StatCache.Entry was = previous.unchanged(path, st);
            ImageNode linked = null;
            if (st.type() != EntryType.DIRECTORY && st.nlink() > 1) {
                // A group all of whose names are in this directory is named within its tree alone.
                groups.computeIfAbsent(new Inode(st.dev(), st.ino()), k -> new long[] {0, st.nlink()})[0]++;
                linked = linkedNode(st);
            }
            if (linked != null) {
                node.children().put(name, linked);
                unchanged &= otherName(path, st, was, linked);
            } else {
                unchanged &= entry(dir, name, host, path, st, was, node);
            }
        }
        unchanged &= groups.values().stream().allMatch(g -> g[0] == g[1]);
        if (unchanged && store.has(cached.id())) {
            next.keep(dirPath, cached);
            return cached.id();
        }
        written.add(new WrittenDirectory(dirPath, dirStat, node));
        return null;
    }

    /**
     * Adds one entry (all of a subdirectory) to {@code node}. True when everything recorded of it
     * is still true: it needs no new record, and its directory no new tree on its account.
     */
    private boolean entry(Path dir, byte[] name, byte[] host, byte[] path, HostStat st, StatCache.Entry was, ImageNode node)
            throws IOException {
        EntryType type = st.type();
        ObjectId blob = type == EntryType.FILE && was != null && was.id() != null && store.has(was.id()) ? was.id() : null;
        boolean same = was != null && was.xattrs() != null && (type != EntryType.FILE || blob != null);
        // Made only when something must be read from the host path (most of a re-import needs none).
        Path child = same && type != EntryType.DIRECTORY ? null : HostPaths.child(dir, name);
        SortedMap<String, byte[]> xattrs = same ? was.xattrs() : xattrs(child, was);
        Metadata meta = st.metadata(xattrs);
        ImageNode n = switch (type) {
            case DIRECTORY -> ImageNode.directory(meta);
            case FILE -> fileNode(child, path, st, meta, blob);
            case SYMLINK -> ImageNode.symlink(meta, same ? was.target() : Posix.readlink(child));
            default -> ImageNode.special(type, meta, Posix.major(st.rdev()), Posix.minor(st.rdev()));
        };
        if (type != EntryType.DIRECTORY && st.nlink() > 1) {
            links.computeIfAbsent(st.dev(), d -> new HashMap<>()).put(st.ino(), n);
        }
        node.children().put(name, n);
        if (type == EntryType.DIRECTORY) {
            directories++;
            ObjectId tree = directory(child, trimNul(host), path, n, st, was);
            if (tree != null) {
                node.children().put(name, ImageNode.storedDirectory(tree));
            }
            return same && tree != null;
        }
        if (type != EntryType.FILE) {
            others++;
            progress.advance(1, 0);
            remember(path, same ? was : StatCache.Entry.of(st, null, xattrs, n.target(), null), same);
        } else if (blob != null) {
            remember(path, same ? was : StatCache.Entry.of(st, blob, xattrs, null, null), same);
        }
        return same;
    }

    /** A second name of a hardlink group met earlier: true when it is as recorded, with the group's blob. */
    private boolean otherName(byte[] path, HostStat st, StatCache.Entry was, ImageNode linked) {
        boolean same = was != null && was.xattrs() != null
                && (linked.type() != EntryType.FILE || (was.id() != null && was.id().equals(linked.blob())));
        if (same) {
            next.keep(path, was);
        } else {
            otherNames.add(new OtherName(path, st, linked));
        }
        return same;
    }

    /** The xattrs of {@code path}: as recorded when its lstat (ctime: setxattr moves it) is unchanged. */
    SortedMap<String, byte[]> xattrs(Path path, StatCache.Entry was) throws IOException {
        return was != null && was.xattrs() != null ? was.xattrs() : Posix.listXattrs(path);
    }

    /** Records the second names of hardlink groups, whose content is known once {@link #awaitContent} returned. */
    void recordOtherNames() {
        for (OtherName o : otherNames) {
            ImageNode n = o.node();
            next.record(o.path(), StatCache.Entry.of(o.stat(), n.blob(), n.meta().xattrs(), n.target(), null), trustBefore);
        }
    }

    /** Records the tree of every directory written, once the trees are in the store. */
    void recordDirectories(TreeWriter writer) {
        for (WrittenDirectory d : written) {
            ObjectId tree = writer.treeOf(d.node());
            if (tree != null) {
                List<byte[]> names = new ArrayList<>(d.node().children().keySet());
                next.record(d.path(), StatCache.Entry.of(d.stat(), tree, d.node().meta().xattrs(), null, names), trustBefore);
            }
        }
    }

    private List<byte[]> list(Path dir) throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                names.add(HostPaths.nameBytes(child));
            }
        }
        return names;
    }

    /** lstat of a name; one taken from the cache's list of a directory may be gone if the directory changed since. */
    private HostStat stat(Path dir, byte[] name, byte[] host, boolean listed) throws IOException {
        try {
            return Lstat.available() ? HostStat.of(host) : HostStat.of(HostPaths.child(dir, name));
        } catch (NoSuchFileException e) {
            throw listed ? e : new IOException(HostPaths.child(dir, name) + " was removed while it was being imported", e);
        }
    }

    /** The NUL-terminated raw host path of {@code name} in the directory at {@code hostDir}. */
    private static byte[] hostPath(byte[] hostDir, byte[] name) {
        byte[] out = new byte[hostDir.length + name.length + 2];
        System.arraycopy(hostDir, 0, out, 0, hostDir.length);
        out[hostDir.length] = '/';
        System.arraycopy(name, 0, out, hostDir.length + 1, name.length);
        return out;
    }

    private static byte[] trimNul(byte[] cPath) {
        return Arrays.copyOf(cPath, cPath.length - 1);
    }

    private void remember(byte[] path, StatCache.Entry e, boolean unchanged) {
        if (unchanged) {
            next.keep(path, e);
        } else {
            next.record(path, e, trustBefore);
        }
    }

    private ImageNode linkedNode(HostStat st) {
        Map<Long, ImageNode> byIno = links.get(st.dev());
        return byIno == null ? null : byIno.get(st.ino());
    }

    /** A file node with {@code blob} (recorded and in the store), or with its content hashed on the pool when null. */
    private ImageNode fileNode(Path file, byte[] path, HostStat st, Metadata meta, ObjectId blob) {
        files++;
        bytes += st.size();
        ImageNode n = ImageNode.file(meta, st.size(), null);
        if (blob != null) {
            n.setBlob(blob, st.size());
            progress.advance(1, st.size());
            return n;
        }
        pending.add(pool.submit(() -> {
            StoredBlob stored = store.putBlob(file);
            long size = stored.size();
            n.setBlob(stored.id(), size);
            filesHashed.incrementAndGet();
            bytesHashed.addAndGet(size);
            if (size == st.size()) {
                next.record(path, StatCache.Entry.of(st, stored.id(), meta.xattrs(), null, null), trustBefore);
            }
            progress.advance(1, size);
            return null;
        }));
        return n;
    }

    void awaitContent() throws IOException {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("import interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException("storing file content failed: " + cause, cause);
            }
        }
    }

    /** What the walk found and read, for the import's result. */
    ImportResult result(ObjectId root, StoreStats added, Duration took) {
        return new ImportResult(root, files, directories + 1, others, bytes, filesHashed.get(), bytesHashed.get(),
                added.objectsWritten(), added.bytesWritten(), took);
    }
}
