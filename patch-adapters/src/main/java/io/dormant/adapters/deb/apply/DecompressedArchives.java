package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebArchiveReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The data archives of an apply, decompressed on a pool of threads in plan order while the
 * packages are unpacked one after another. Each archive streams to its unpack as it is decoded;
 * what runs ahead of the unpack is held in memory up to a budget, so that no decompressed tar is
 * written to disk and read back.
 */
final class DecompressedArchives implements AutoCloseable {

    private static final int CHUNK = 256 * 1024;
    /** The archive being unpacked may always hold this much, so that its decoder never waits on others. */
    private static final long HEAD_WINDOW = 16L << 20;

    private final Object lock = new Object();
    private final long budget;
    private final ExecutorService pool;
    private final Map<String, Archive> archives = new LinkedHashMap<>();
    private final Deque<byte[]> spare = new ArrayDeque<>();
    private long held;
    private Archive head;
    private long waitedNanos;

    /**
     * Starts decompressing every package, in the order of {@code files}.
     *
     * @param files    package files by their SHA-256, in the order they will be unpacked
     * @param maxBytes the most one archive may decompress to (a decompression bomb stops there)
     */
    DecompressedArchives(Map<String, Path> files, long maxBytes) {
        this(files, maxBytes, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    /** @param budget bytes held ahead of the unpack, over all archives */
    DecompressedArchives(Map<String, Path> files, long maxBytes, long budget) {
        this.budget = budget;
        // A fixed pool takes its tasks in order: the archive being unpacked is always started.
        this.pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "decompress");
            t.setDaemon(true);
            return t;
        });
        files.forEach((sha, file) -> {
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

    /** The decompressed tar of one package, to read once, in plan order. */
    InputStream open(String sha) {
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

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** One archive's decoded bytes not yet read, in chunks; guarded by {@code lock}. */
    private final class Archive {
        private final Deque<byte[]> chunks = new ArrayDeque<>();
        private int readFrom;
        private int lastFilled = CHUNK;
        private long holding;
        private boolean ended;
        private Throwable failure;
        private boolean abandoned;

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

        InputStream reader() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    synchronized (lock) {
                        while (readable() == 0 && !ended) {
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
                        int available = readable();
                        if (available == 0) {
                            return endOfArchive();
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
                        abandoned = true;
                        while (!chunks.isEmpty()) {
                            release(chunks.pollFirst());
                        }
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

        private int endOfArchive() throws IOException {
            if (failure == null) {
                return -1;
            }
            if (failure instanceof IOException e) {
                throw e;
            }
            throw new IOException(failure.getMessage(), failure);
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
