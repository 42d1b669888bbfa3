package io.dormant.adapters.deb.apply;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The small regular files of one package's unpack, written by two threads beside the one that
 * reads the archive. Each file is a handful of system calls on the overlay (create, write, owner,
 * mode, time, close, rename), mostly in the kernel: with the data already decompressed (the next
 * image of a campaign), one thread doing them all left the other core idle.
 *
 * <p>Nothing reads a file while it is pending: the unpacker waits for every pending write
 * ({@link #drain}) before an entry whose path, or a parent of it, is pending (an archive may name a
 * path twice), before a hard link (its target must be there), before following an existing link
 * (its resolution might pass through a pending file), and at the end of the package, before the
 * maintainer scripts and the database see the tree. A failed write fails the unpack with its own
 * error, after the other pending writes have ended, so that nothing writes into the tree once the
 * unpack has returned.
 */
final class ParallelWrites implements AutoCloseable {

    /** Files up to this size are read into memory and handed over; larger ones are streamed by the reader. */
    static final int LARGEST = 256 * 1024;
    /** Pending writes one unpack may hold in memory before it waits for the oldest. */
    private static final long MAX_PENDING_BYTES = 32L << 20;
    private static final int MAX_PENDING = 1024;

    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "unpack-writer");
        t.setDaemon(true);
        return t;
    });
    private static final ThreadLocal<Memory> NATIVE_BUFFER = ThreadLocal.withInitial(() -> new Memory(LARGEST));

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The image paths of the pending writes. */
    private final Set<String> paths = new HashSet<>();
    private long pendingBytes;

    private record Pending(String imagePath, int size, CompletableFuture<Void> done) {
    }

    /** Owner, mode and time of a file to write, decided by the unpacker. */
    record Attributes(long uid, long gid, int mode, long mtimeSeconds) {
    }

    /**
     * Writes {@code content} to {@code temp} with its attributes, then renames it over {@code host},
     * on a writer thread. The caller checked that no directory is at {@code host}.
     */
    void write(String imagePath, Path temp, Path host, byte[] content, Attributes attributes) throws IOException {
        while (!pending.isEmpty() && (pending.size() >= MAX_PENDING || pendingBytes + content.length > MAX_PENDING_BYTES)) {
            awaitOldest();
        }
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                place(temp, host, content, attributes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, WRITERS);
        pending.add(new Pending(imagePath, content.length, done));
        paths.add(imagePath);
        pendingBytes += content.length;
    }

    /** Whether a write to {@code imagePath}, or to one of its parents, is still pending. */
    boolean touches(String imagePath) {
        if (paths.isEmpty()) {
            return false;
        }
        for (int end = imagePath.length(); end > 0; end = imagePath.lastIndexOf('/', end - 1)) {
            if (paths.contains(imagePath.substring(0, end))) {
                return true;
            }
        }
        return false;
    }

    /** Waits for every pending write; throws the first one's failure. */
    void drain() throws IOException {
        IOException failure = null;
        while (!pending.isEmpty()) {
            try {
                awaitOldest();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for the pending writes after a failure of the unpack; theirs are of no interest then. */
    @Override
    public void close() {
        try {
            drain();
        } catch (IOException e) {
            // The unpack is failing already, with its own error.
        }
    }

    private void awaitOldest() throws IOException {
        Pending oldest = pending.remove();
        pendingBytes -= oldest.size();
        paths.remove(oldest.imagePath());
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    oldest.done().get();
                    return;
                } catch (InterruptedException e) {
                    // The write is under way; returning before it ends would leave it writing into the tree.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    throw new IOException("writing " + oldest.imagePath() + " failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void place(Path temp, Path host, byte[] content, Attributes a) throws IOException {
        try (NewFile out = DebUnpacker.create(temp)) {
            out.write(content, NATIVE_BUFFER.get());
            out.finish(a.uid(), a.gid(), a.mode(), a.mtimeSeconds());
        }
        DebUnpacker.replace(temp, host);
    }
}
