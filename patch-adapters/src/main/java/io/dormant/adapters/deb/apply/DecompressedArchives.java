package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebArchiveReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The data archives of an apply, decompressed on a pool of threads in plan order while the
 * packages are unpacked one after another. Each archive streams to its unpack as it is decoded.
 * With a {@link DecodedDataCache}, each archive is decoded into a file of the cache, which the
 * unpack follows as it grows and the next apply reads instead of decoding (an archive kept before
 * is read from there at once); the xz tool writes that file itself, so the decoded bytes neither
 * pass through this process nor fill its heap. Without one, what runs ahead of the unpack is held
 * in memory up to a budget.
 */
final class DecompressedArchives implements AutoCloseable {

    private static final int CHUNK = 256 * 1024;
    /** The archive being unpacked may always hold this much, so that its decoder never waits on others. */
    private static final long HEAD_WINDOW = 16L << 20;

    private final Object lock = new Object();
    private final long budget;
    private final long maxBytes;
    private final DecodedDataCache cache;
    private final ExecutorService pool;
    private final Map<String, Source> archives = new LinkedHashMap<>();
    private final Map<String, Future<Path>> cachedArchives = new LinkedHashMap<>();
    private final Deque<byte[]> spare = new ArrayDeque<>();
    private long held;
    private Source head;
    private long waitedNanos;

    /**
     * Starts decompressing every package, in the order of {@code files}.
     *
     * @param files    package files by their SHA-256, in the order they will be unpacked
     * @param maxBytes the most one archive may decompress to (a decompression bomb stops there)
     */
    DecompressedArchives(Map<String, Path> files, long maxBytes) {
        this(files, maxBytes, null);
    }

    /** @param cache where decompressed archives of earlier applies are kept, and this one's are put; null for none */
    DecompressedArchives(Map<String, Path> files, long maxBytes, DecodedDataCache cache) {
        this(files, maxBytes, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4), cache);
    }

    /** @param budget bytes held ahead of the unpack, over all archives */
    DecompressedArchives(Map<String, Path> files, long maxBytes, long budget) {
        this(files, maxBytes, budget, null);
    }

    private DecompressedArchives(Map<String, Path> files, long maxBytes, long budget, DecodedDataCache cache) {
        this.budget = budget;
        this.maxBytes = maxBytes;
        this.cache = cache;
        // A fixed pool takes its tasks in order: the archive being unpacked is always started.
        this.pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "decompress");
            t.setDaemon(true);
            return t;
        });
        submit(orderOfDecoding(files, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Goes on with the archives of the plan, in its order, after one started ahead of it; an
     * archive started ahead that the plan does not apply is dropped.
     */
    DecompressedArchives andThen(Map<String, Path> files) {
        synchronized (lock) {
            archives.entrySet().removeIf(started -> {
                if (files.containsKey(started.getKey())) {
                    return false;
                }
                started.getValue().discard();
                return true;
            });
            lock.notifyAll(); // a dropped decoder waiting for room wakes up to stop
        }
        cachedArchives.keySet().retainAll(files.keySet());
        submit(files);
        return this;
    }

    /** Starts each archive not started yet, in the order given. */
    private void submit(Map<String, Path> files) {
        files.forEach((sha, file) -> {
            if (archives.containsKey(sha) || cachedArchives.containsKey(sha)) {
                return;
            }
            Path kept = cached(cache, sha);
            if (kept != null) {
                cachedArchives.put(sha, pool.submit(() -> {
                    cache.verify(kept, file.getFileName().toString());
                    return kept;
                }));
                return;
            }
            if (cache != null) {
                DecodedFile decoded = decodedFile(sha);
                if (decoded != null) {
                    archives.put(sha, decoded);
                    pool.submit(() -> decoded.decode(file));
                    return;
                }
            }
            Archive archive = new Archive();
            archives.put(sha, archive);
            pool.submit(() -> {
                try {
                    DebArchiveReader.open(file).extractDataTar(archive.writer(), maxBytes);
                    archive.end(null);
                } catch (Throwable e) {
                    archive.end(e);
                }
            });
        });
    }

    /** A file of the cache to decode into, or null when the cache cannot give one (then the archive is held in memory). */
    private DecodedFile decodedFile(String sha) {
        Path file = null;
        try {
            file = cache.reserve(sha);
            return new DecodedFile(sha, file, FileChannel.open(file, StandardOpenOption.READ));
        } catch (IOException e) {
            if (file != null) {
                removeStray(file);
            }
            return null;
        }
    }

    /** Best effort: a temporary file left behind is not counted by the cache. */
    private static void removeStray(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left behind: costs space only
        }
    }

    /** Guarded by {@code lock}: waits for more decoded bytes, counting the wait. */
    private void awaitDecoding() throws InterruptedIOException {
        long start = System.nanoTime();
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a package's decompression");
        } finally {
            waitedNanos += System.nanoTime() - start;
        }
    }

    /** The end of an archive read whole: -1, or why its decoding failed. */
    private static int endOfArchive(Throwable failure) throws IOException {
        if (failure == null) {
            return -1;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        throw new IOException(failure.getMessage(), failure);
    }

    /** A stream whose one-byte read goes through its array read. */
    private abstract static class ArrayReader extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }
    }

    /** One package's decoded tar, read once, in plan order. */
    private interface Source {
        InputStream reader() throws IOException;

        /** Guarded by {@code lock}: its decoder, if still writing, stops with an error. */
        void abandon();

        /** Guarded by {@code lock}: abandoned, and what it holds given up. */
        void discard();
    }

    /**
     * Plan order, but the largest package first: xz decodes one archive on one core, so a large
     * package (a JDK, a database server) met late in the plan keeps its unpack waiting for seconds
     * while the other core finished the small ones long before. Only one archive moves: the pool
     * still takes every other archive in plan order, so the one being unpacked has always been
     * started or finished once those before it have (a second core is needed for that, so with one
     * there is no reordering), and a decoder that runs ahead and fills the memory budget never
     * keeps it from starting.
     */
    static Map<String, Path> orderOfDecoding(Map<String, Path> files, int threads) {
        if (threads < 2 || files.size() < 2) {
            return files;
        }
        Map<String, Path> ordered = new LinkedHashMap<>(largest(files));
        ordered.putAll(files);
        return ordered;
    }

    /** The largest package file, by its SHA-256 (empty for no files). */
    static Map<String, Path> largest(Map<String, Path> files) {
        String largest = null;
        long largestSize = -1;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            long size;
            try {
                size = Files.size(file.getValue());
            } catch (IOException e) {
                size = 0; // an unreadable file fails in its own decoder
            }
            if (size > largestSize) {
                largest = file.getKey();
                largestSize = size;
            }
        }
        return largest == null ? Map.of() : Map.of(largest, files.get(largest));
    }

    private static Path cached(DecodedDataCache cache, String sha) {
        try {
            return cache == null ? null : cache.find(sha);
        } catch (IOException e) {
            return null; // an unreadable cache is no cache: the package is decompressed
        }
    }


    /** The decompressed tar of one package, to read once, in plan order. */
    InputStream open(String sha) throws IOException {
        Future<Path> cached = cachedArchives.get(sha);
        if (cached != null) {
            long start = System.nanoTime();
            try {
                return new BufferedInputStream(Files.newInputStream(cached.get()), CHUNK);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while checking a package's cached decompressed data");
            } finally {
                synchronized (lock) {
                    waitedNanos += System.nanoTime() - start;
                }
            }
        }
        synchronized (lock) {
            head = archives.get(sha);
            lock.notifyAll();
            return head.reader();
        }
    }

    /** How long reading has waited on decoding so far. */
    long waitedMillis() {
        synchronized (lock) {
            return waitedNanos / 1_000_000;
        }
    }

    /**
     * Stops every decoder still running (an apply that failed midway) and lets the archives being
     * kept for later applies finish; after a whole apply only those remain.
     */
    @Override
    public void close() {
        synchronized (lock) {
            archives.values().forEach(Source::abandon);
            lock.notifyAll();
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An archive decoded into a file of the cache, which the unpack reads as it grows: with the
     * xz tool the decoded bytes go from xz to the file without passing through this process, none
     * is held in its memory, and the file is the entry the next apply reads. Kept once decoded
     * whole and checked; a failed or abandoned decoding leaves nothing.
     */
    private final class DecodedFile implements Source {
        private final String sha;
        private final Path file;
        /** Opened at once, so that the reader goes on reading when the file is renamed or removed. */
        private final FileChannel channel;
        private long position;
        private long written;
        private boolean ended;
        private Throwable failure;
        private boolean abandoned;

        private DecodedFile(String sha, Path file, FileChannel channel) {
            this.sha = sha;
            this.file = file;
            this.channel = channel;
        }

        /** On a pool thread: decodes, then keeps the file or removes it. */
        void decode(Path packageFile) {
            Throwable failed = null;
            try {
                DebArchiveReader.open(packageFile).extractDataTar(file, maxBytes, this::grew, this::isAbandoned);
            } catch (Throwable e) {
                failed = e;
            }
            if (failed == null) {
                try {
                    cache.keep(file, sha);
                } catch (IOException e) {
                    removeStray(file); // kept or not, the reader has the bytes
                }
            } else {
                removeStray(file);
            }
            synchronized (lock) {
                ended = true;
                failure = failed;
                if (abandoned) {
                    closeChannel();
                }
                lock.notifyAll();
            }
        }

        private void grew(long size) {
            synchronized (lock) {
                if (size > written) {
                    written = size;
                    lock.notifyAll();
                }
            }
        }

        private boolean isAbandoned() {
            synchronized (lock) {
                return abandoned;
            }
        }


        @Override
        public void abandon() {
            abandoned = true;
            if (ended) {
                closeChannel();
            }
        }

        @Override
        public void discard() {
            abandoned = true;
            closeChannel();
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing is lost
            }
        }

        @Override
        public InputStream reader() {
            return new BufferedInputStream(new ArrayReader() {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    long available;
                    synchronized (lock) {
                        while (written == position && !ended) {
                            awaitDecoding();
                        }
                        available = written - position;
                        if (available == 0) {
                            return endOfArchive(failure);
                        }
                    }
                    int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
                    if (n < 0) {
                        throw new IOException("the decoded data of a package in " + file + " ended early");
                    }
                    position += n;
                    return n;
                }

                @Override
                public void close() {
                    synchronized (lock) {
                        discard();
                        lock.notifyAll();
                    }
                }
            }, CHUNK);
        }
    }

    /** One archive's decoded bytes not yet read, in chunks; guarded by {@code lock}. */
    private final class Archive implements Source {
        private final Deque<byte[]> chunks = new ArrayDeque<>();
        private int readFrom;
        private int lastFilled = CHUNK;
        private long holding;
        private boolean ended;
        private Throwable failure;
        private boolean abandoned;

        @Override
        public void abandon() {
            abandoned = true;
        }

        /** Guarded by {@code lock}: abandoned, and what it holds given back to the others' budget. */
        @Override
        public void discard() {
            abandoned = true;
            while (!chunks.isEmpty()) {
                release(chunks.pollFirst());
            }
        }

        void end(Throwable e) {
            synchronized (lock) {
                ended = true;
                failure = e;
                lock.notifyAll();
            }
        }

        private boolean mayHold() {
            return abandoned || held < budget || (this == head && holding < HEAD_WINDOW);
        }

        OutputStream writer() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    synchronized (lock) {
                        try {
                            while (!mayHold()) {
                                lock.wait();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted while decompressing a package");
                        }
                        if (abandoned) {
                            throw new IOException("the unpack stopped reading this package");
                        }
                        while (len > 0) {
                            if (lastFilled == CHUNK) {
                                byte[] chunk = spare.isEmpty() ? new byte[CHUNK] : spare.pop();
                                chunks.addLast(chunk);
                                lastFilled = 0;
                                holding += CHUNK;
                                held += CHUNK;
                            }
                            int n = Math.min(len, CHUNK - lastFilled);
                            System.arraycopy(b, off, chunks.peekLast(), lastFilled, n);
                            lastFilled += n;
                            off += n;
                            len -= n;
                        }
                        lock.notifyAll();
                    }
                }
            };
        }

        @Override
        public InputStream reader() {
            return new ArrayReader() {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    synchronized (lock) {
                        while (readable() == 0 && !ended) {
                            awaitDecoding();
                        }
                        int available = readable();
                        if (available == 0) {
                            return endOfArchive(failure);
                        }
                        int n = Math.min(len, available);
                        System.arraycopy(chunks.peekFirst(), readFrom, b, off, n);
                        readFrom += n;
                        if (readFrom == CHUNK) {
                            release(chunks.pollFirst());
                            readFrom = 0;
                        }
                        return n;
                    }
                }

                /** Skips within what is decoded, without the copying of InputStream's skip. */
                @Override
                public long skip(long n) throws IOException {
                    synchronized (lock) {
                        int readable = readable();
                        if (readable == 0) {
                            return super.skip(n);
                        }
                        int skipped = (int) Math.min(n, readable);
                        readFrom += skipped;
                        if (readFrom == CHUNK) {
                            release(chunks.pollFirst());
                            readFrom = 0;
                        }
                        return skipped;
                    }
                }

                @Override
                public void close() {
                    synchronized (lock) {
                        discard();
                        lock.notifyAll();
                    }
                }
            };
        }

        /** Bytes readable without waiting, all from the first chunk. */
        private int readable() {
            if (chunks.isEmpty()) {
                return 0;
            }
            return (chunks.size() == 1 ? lastFilled : CHUNK) - readFrom;
        }


        private void release(byte[] chunk) {
            holding -= CHUNK;
            held -= CHUNK;
            if (spare.size() < 64) {
                spare.push(chunk);
            }
            lock.notifyAll();
        }
    }
}
