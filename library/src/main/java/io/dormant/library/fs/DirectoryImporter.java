package io.dormant.library.fs;

import io.dormant.library.posix.HostPaths;
import io.dormant.library.posix.Posix;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeWriter;
import io.dormant.library.store.StoreStats;
import io.dormant.library.store.StoredBlob;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Imports a host directory into the store exactly: every entry's type, mode, numeric owner,
 * nanosecond mtime, xattrs, device numbers, link targets and hardlink groups. Symlinks are never
 * followed. One thread walks and stats; file contents are hashed and stored on a pool as big as
 * the machine, while the walk goes on. With a stat cache, a file whose stat did not change since
 * the last import of the same source is not read again.
 */
public final class DirectoryImporter {
    private static final long RACY_WINDOW_NANOS = 100_000_000L;

    private final ObjectStore store;
    private final Path cacheDir;
    private final int threads;

    /**
     * @param cacheDir where stat caches live (one file per source root); null for no cache
     */
    public DirectoryImporter(ObjectStore store, Path cacheDir) {
        this(store, cacheDir, Integer.getInteger("dormant.import.threads", Runtime.getRuntime().availableProcessors()));
    }

    DirectoryImporter(ObjectStore store, Path cacheDir, int threads) {
        this.store = store;
        this.cacheDir = cacheDir;
        this.threads = Math.max(1, threads);
    }

    public ImportResult importDirectory(Path source, Progress progress) throws IOException {
        Path cacheFile = cacheDir == null ? null : StatCache.fileFor(cacheDir, source);
        StatCache previous = cacheFile == null ? new StatCache() : StatCache.load(cacheFile);
        StatCache next = new StatCache();
        ImportResult result = importDirectory(source, previous, next, progress);
        if (cacheFile != null) {
            next.save(cacheFile);
        }
        return result;
    }

    /** Imports with caller-held caches (a workspace's ingest primes {@code previous} at materialize). */
    public ImportResult importDirectory(Path source, StatCache previous, StatCache next, Progress progress) throws IOException {
        long start = System.nanoTime();
        long trustBefore = System.currentTimeMillis() * 1_000_000L - RACY_WINDOW_NANOS;
        StoreStats before = store.stats();
        HostStat rootStat = HostStat.of(source);
        if (rootStat.type() != EntryType.DIRECTORY) {
            throw new IOException(source + " is not a directory (symlinks are not followed)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dormant-import");
            t.setDaemon(true);
            return t;
        });
        try {
            Walk walk = new Walk(previous, next, trustBefore, progress, pool);
            ImageNode root = ImageNode.directory(rootStat.metadata(Posix.listXattrs(source)));
            walk.directory(source, new byte[0], root);
            walk.awaitContent();
            TreeWriter writer = new TreeWriter(store);
            ObjectId id = writer.write(root);
            StoreStats added = store.stats().minus(before);
            return new ImportResult(id, walk.files, walk.directories + 1, walk.others, walk.bytes,
                    walk.filesHashed.get(), walk.bytesHashed.get(), added.objectsWritten(), added.bytesWritten(),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Pools.stop(pool);
        }
    }

    /** One walk of a source directory: the state that lives only while it runs. */
    private final class Walk {
        private final StatCache previous;
        private final StatCache next;
        private final long trustBefore;
        private final Progress progress;
        private final ExecutorService pool;
        private final Map<Long, Map<Long, ImageNode>> links = new HashMap<>();
        private final List<Future<?>> pending = new ArrayList<>();
        private final AtomicLong filesHashed = new AtomicLong();
        private final AtomicLong bytesHashed = new AtomicLong();
        private long files;
        private long directories;
        private long others;
        private long bytes;

        Walk(StatCache previous, StatCache next, long trustBefore, Progress progress, ExecutorService pool) {
            this.previous = previous;
            this.next = next;
            this.trustBefore = trustBefore;
            this.progress = progress;
            this.pool = pool;
        }

        void directory(Path dir, byte[] dirPath, ImageNode node) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            }
            for (Path child : children) {
                byte[] name = HostPaths.nameBytes(child);
                byte[] path = Paths.join(dirPath, name);
                HostStat st = HostStat.of(child);
                EntryType type = st.type();
                if (type == null) {
                    throw new IOException("unknown file type " + Integer.toOctalString(st.mode()) + " at " + child);
                }
                ImageNode linked = type != EntryType.DIRECTORY && st.nlink() > 1 ? linkedNode(st) : null;
                if (linked != null) {
                    node.children().put(name, linked);
                    continue;
                }
                Metadata meta = st.metadata(Posix.listXattrs(child));
                ImageNode n = switch (type) {
                    case DIRECTORY -> ImageNode.directory(meta);
                    case FILE -> fileNode(child, path, st, meta);
                    case SYMLINK -> ImageNode.symlink(meta, Posix.readlink(child));
                    default -> ImageNode.special(type, meta, Posix.major(st.rdev()), Posix.minor(st.rdev()));
                };
                if (type != EntryType.DIRECTORY && st.nlink() > 1) {
                    links.computeIfAbsent(st.dev(), d -> new HashMap<>()).put(st.ino(), n);
                }
                node.children().put(name, n);
                if (type == EntryType.DIRECTORY) {
                    directories++;
                    directory(child, path, n);
                } else if (type != EntryType.FILE) {
                    others++;
                    progress.advance(1, 0);
                }
            }
        }

        private ImageNode linkedNode(HostStat st) {
            Map<Long, ImageNode> byIno = links.get(st.dev());
            return byIno == null ? null : byIno.get(st.ino());
        }

        private ImageNode fileNode(Path file, byte[] path, HostStat st, Metadata meta) {
            files++;
            bytes += st.size();
            ImageNode n = ImageNode.file(meta, st.size(), null);
            ObjectId cached = previous.lookup(path, st);
            if (cached != null && store.has(cached)) {
                n.setBlob(cached, st.size());
                next.record(path, st, cached, Long.MAX_VALUE);
                progress.advance(1, st.size());
                return n;
            }
            pending.add(pool.submit(() -> {
                StoredBlob stored = store.putBlob(file);
                ObjectId blob = stored.id();
                long size = stored.size();
                n.setBlob(blob, size);
                filesHashed.incrementAndGet();
                bytesHashed.addAndGet(size);
                if (size == st.size()) {
                    next.record(path, st, blob, trustBefore);
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
    }
}
