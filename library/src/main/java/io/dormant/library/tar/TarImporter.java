package io.dormant.library.tar;

import io.dormant.library.fs.ImportResult;
import io.dormant.library.fs.Pools;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.store.StoreStats;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.TreeWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Imports a tar archive (plain, gzip, xz or zstd, detected by magic) into the store, building the
 * same trees the directory importer builds from the same files. Every entry name goes through the
 * {@link EntryPathResolver} before its content is stored; nothing is written outside the store,
 * and a failed import leaves at most unreferenced objects, which gc removes.
 *
 * <p>The archive is read by one thread; small files are hashed and stored on a pool while it
 * reads on, with a bound on the bytes held in memory.
 */
public final class TarImporter {
    private static final int SMALL_FILE = 4 << 20;
    private static final int IN_FLIGHT_BYTES = 64 << 20;

    private final ObjectStore store;
    private final TarLimits limits;

    public TarImporter(ObjectStore store) {
        this(store, TarLimits.DEFAULT);
    }

    public TarImporter(ObjectStore store, TarLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    public ImportResult importTar(Path archive, Progress progress) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return importTar(in, progress);
        }
    }

    public ImportResult importTar(InputStream archive, Progress progress) throws IOException {
        long start = System.nanoTime();
        StoreStats before = store.stats();
        ImageNode root = ImageNode.directory(EntryPathResolver.IMPLIED_DIRECTORY);
        EntryPathResolver resolver = new EntryPathResolver(root);
        TarArchiveReader reader = new TarArchiveReader(CompressionFormat.decompress(archive), limits);
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "dormant-tar-import");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
        List<Future<?>> pending = new ArrayList<>();
        long[] counts = new long[4]; // files, directories, others, bytes
        try {
            TarHeader h;
            while ((h = reader.next()) != null) {
                EntryPathResolver.Placement place;
                try {
                    place = resolver.place(h.name());
                } catch (EntryPathException e) {
                    throw new TarFormatException(h.displayName(), h.offset(), e.getMessage(), e);
                }
                ImageNode node = node(h, reader, resolver, pool, inFlight, pending, counts, progress);
                try {
                    resolver.put(place, node);
                } catch (EntryPathException e) {
                    throw new TarFormatException(h.displayName(), h.offset(), e.getMessage(), e);
                }
            }
            for (Future<?> f : pending) {
                await(f);
            }
            ObjectId rootId = new TreeWriter(store).write(root);
            StoreStats added = store.stats().minus(before);
            return new ImportResult(rootId, counts[0], counts[1] + 1, counts[2], counts[3], counts[0], counts[3],
                    added.objectsWritten(), added.bytesWritten(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Pools.stop(pool);
        }
    }

    private ImageNode node(TarHeader h, TarArchiveReader reader, EntryPathResolver resolver, ExecutorService pool,
                           Semaphore inFlight, List<Future<?>> pending, long[] counts, Progress progress) throws IOException {
        Metadata meta;
        try {
            meta = new Metadata(h.mode(), h.uid(), h.gid(), h.mtimeSeconds(), h.mtimeNanos(), h.xattrs());
        } catch (IllegalArgumentException e) {
            throw new TarFormatException(h.displayName(), h.offset(), e.getMessage());
        }
        switch (h.type()) {
            case '0', '\0', '7' -> {
                counts[0]++;
                counts[3] += h.size();
                ImageNode n = ImageNode.file(meta, h.size(), null);
                if (h.size() <= SMALL_FILE) {
                    byte[] data = reader.content().readAllBytes();
                    inFlight.acquireUninterruptibly(data.length);
                    pending.add(pool.submit(() -> {
                        try {
                            StoredBlob b = store.putBlob(new ByteArrayInputStream(data));
                            n.setBlob(b.id(), b.size());
                            progress.advance(1, b.size());
                        } finally {
                            inFlight.release(data.length);
                        }
                        return null;
                    }));
                } else {
                    StoredBlob b = store.putBlob(reader.content());
                    n.setBlob(b.id(), b.size());
                    progress.advance(1, b.size());
                }
                return n;
            }
            case '1' -> {
                try {
                    // Not counted: the directory importer does not count a second name of a file either.
                    return resolver.linkTarget(h.linkName());
                } catch (EntryPathException e) {
                    throw new TarFormatException(h.displayName(), h.offset(), e.getMessage(), e);
                }
            }
            case '2' -> {
                if (h.linkName().length == 0) {
                    throw new TarFormatException(h.displayName(), h.offset(), "symlink without a target");
                }
                counts[2]++;
                return ImageNode.symlink(meta, h.linkName());
            }
            case '3' -> {
                counts[2]++;
                return ImageNode.special(EntryType.CHAR_DEVICE, meta, h.devMajor(), h.devMinor());
            }
            case '4' -> {
                counts[2]++;
                return ImageNode.special(EntryType.BLOCK_DEVICE, meta, h.devMajor(), h.devMinor());
            }
            case '5', 'D' -> {
                counts[1]++;
                return ImageNode.directory(meta);
            }
            case '6' -> {
                counts[2]++;
                return ImageNode.special(EntryType.FIFO, meta, 0, 0);
            }
            default -> throw new TarFormatException(h.displayName(), h.offset(), "unsupported entry type '" + h.type() + "'");
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("tar import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("storing an entry failed: " + e.getCause(), e.getCause());
        }
    }
}
