package io.dormant.library.fs;

import io.dormant.library.posix.HostPaths;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.store.StoreStats;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.TreeWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Imports a host directory into the store exactly: every entry's type, mode, numeric owner,
 * nanosecond mtime, xattrs, device numbers, link targets and hardlink groups. Symlinks are never
 * followed. One thread walks and stats; file contents are hashed and stored on a pool as big as
 * the machine, while the walk goes on. With a stat cache, nothing whose lstat did not change since
 * the last import of the same source is read again, and a directory in which nothing changed keeps
 * its tree (see {@link ImportWalk}).
 */
public final class DirectoryImporter {
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
        StatCache next = StatCache.sizedLike(previous);
        ImportResult result = importDirectory(source, previous, next, progress);
        if (cacheFile != null && !next.sameAs(previous)) {
            next.save(cacheFile);
        }
        return result;
    }

    /** Imports with caller-held caches (a workspace's ingest primes {@code previous} at materialize). */
    public ImportResult importDirectory(Path source, StatCache previous, StatCache next, Progress progress) throws IOException {
        long start = System.nanoTime();
        long trustBefore = System.currentTimeMillis() * 1_000_000L - StatCache.RACY_WINDOW_NANOS;
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
            ImportWalk walk = new ImportWalk(store, previous, next, trustBefore, progress, pool);
            byte[] rootPath = new byte[0];
            StatCache.Entry rootCached = previous.unchanged(rootPath, rootStat);
            ImageNode root = ImageNode.directory(rootStat.metadata(walk.xattrs(source, rootCached)));
            ObjectId id = walk.directory(source, HostPaths.bytes(source), rootPath, root, rootStat, rootCached);
            walk.awaitContent();
            walk.recordOtherNames();
            if (id == null) {
                TreeWriter writer = new TreeWriter(store);
                id = writer.write(root);
                walk.recordDirectories(writer);
            }
            return walk.result(id, store.stats().minus(before), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Pools.stop(pool);
        }
    }
}
