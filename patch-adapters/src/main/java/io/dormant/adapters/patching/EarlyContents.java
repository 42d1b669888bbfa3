package io.dormant.adapters.patching;

import io.dormant.library.posix.HostPaths;
import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stores the files an unpack wrote while the apply goes on (its scripts leave cores idle), so
 * that recording the changes afterwards need not read them again: a file whose lstat is the same
 * at the end, its change time included, is the file that was stored.
 *
 * <p>The change time cannot be set from user space, and it comes from a clock that file systems
 * read coarsely, so a change made in the same tick as the lstat could keep it. That is why a file
 * counts only when its change time is older than a marker file touched before the file is read
 * (git's "racy" rule): any later change stamps a time at or after the marker's, which differs.
 * A file changed while it is read differs between the lstat before and the one after, and is left
 * to the ingest. Nothing here is needed for correctness; a file it skips is simply read later.
 */
final class EarlyContents implements AutoCloseable {

    private final Path upper;
    private final Path marker;
    private final Workspace workspace;
    private final ExecutorService worker;
    private final Map<String, Early> stored = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** What one file was when it was stored. */
    private record Early(Lstat.Fields stat, StoredBlob blob) {
    }

    /**
     * @param upper   the overlay's upper directory, where the unpacked files are
     * @param marker  a file to touch on the upper directory's file system, outside the image
     */
    EarlyContents(Path upper, Path marker, Workspace workspace) {
        this.upper = upper;
        this.marker = marker;
        this.workspace = workspace;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "early-store");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether this host can tell (lstat through libc); without it nothing is stored early. */
    static boolean available() {
        return Lstat.available();
    }

    /** Stores, in the background, the regular files among these image paths as they are now. */
    void unpacked(List<String> imagePaths) {
        if (closed) {
            return;
        }
        worker.execute(() -> {
            try {
                store(List.copyOf(imagePaths));
            } catch (IOException | RuntimeException e) {
                // Only a head start: whatever was not stored here the ingest stores itself.
            }
        });
    }

    private void store(List<String> imagePaths) throws IOException {
        long[] mark = touchMarker();
        for (String path : imagePaths) {
            if (closed) {
                return;
            }
            Path host = upper.resolve(path.substring(1));
            Lstat.Fields before = lstat(host);
            if (before == null || (before.mode() & Posix.S_IFMT) != Posix.S_IFREG || !olderThan(before, mark)) {
                continue;
            }
            StoredBlob blob = workspace.store(host);
            if (before.equals(lstat(host))) {
                stored.put(path, new Early(before, blob));
            }
        }
    }

    /** The stored content of a file whose lstat is {@code now}, when it is still the file that was stored. */
    StoredBlob storedAs(String imagePath, Lstat.Fields now) {
        Early early = stored.get(imagePath);
        return early != null && early.stat().equals(now) ? early.blob() : null;
    }

    /** Waits for the files handed over so far; after this, {@link #storedAs} knows all it will. */
    void finish() throws IOException {
        worker.shutdown();
        try {
            worker.awaitTermination(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while storing unpacked files");
        }
    }

    static Lstat.Fields lstat(Path host) throws IOException {
        try {
            return Lstat.of(HostPaths.cString(host));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private long[] touchMarker() throws IOException {
        Files.deleteIfExists(marker);
        Files.createFile(marker);
        Lstat.Fields stat = lstat(marker);
        return new long[] {stat.ctimeSeconds(), stat.ctimeNanos()};
    }

    private static boolean olderThan(Lstat.Fields stat, long[] mark) {
        return stat.ctimeSeconds() < mark[0] || (stat.ctimeSeconds() == mark[0] && stat.ctimeNanos() < mark[1]);
    }

    /** Stops storing; returns once nothing is being written to the workspace any more. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
