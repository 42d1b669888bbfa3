package io.dormant.library.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps {@code store gc} away from writers. Imports and check-ins hold it shared from their first
 * object until their version row is committed; gc holds it exclusively, so it can never delete an
 * object that a running import is about to name. Between processes it is a lock on the file
 * {@code store/lock}; inside one JVM (where file locks cannot overlap) a read-write lock stands in.
 */
public final class StoreLock {

    private static final Map<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();
    private FileChannel channel;
    private FileLock fileLock;
    private int sharedHolders;

    private StoreLock(Path file) {
        this.file = file;
    }

    public static StoreLock of(Path storeRoot) {
        return LOCKS.computeIfAbsent(storeRoot.toAbsolutePath().normalize().resolve("lock"), StoreLock::new);
    }

    /** Held by a writer; blocks while gc runs. */
    public Lease shared() {
        local.readLock().lock();
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    fileLock = channel().lock(0, Long.MAX_VALUE, true);
                }
                sharedHolders++;
            }
        } catch (IOException e) {
            local.readLock().unlock();
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        return this::releaseShared;
    }

    /** Held by gc; empty when a writer holds the store now. */
    public Optional<Lease> tryExclusive() {
        if (!local.writeLock().tryLock()) {
            return Optional.empty();
        }
        try {
            synchronized (this) {
                FileLock exclusive = channel().tryLock(0, Long.MAX_VALUE, false);
                if (exclusive == null) {
                    local.writeLock().unlock();
                    return Optional.empty();
                }
                fileLock = exclusive;
            }
        } catch (IOException e) {
            local.writeLock().unlock();
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        return Optional.of(this::releaseExclusive);
    }

    private synchronized void releaseShared() {
        try {
            if (--sharedHolders == 0) {
                releaseFileLock();
            }
        } finally {
            local.readLock().unlock();
        }
    }

    private synchronized void releaseExclusive() {
        try {
            releaseFileLock();
        } finally {
            local.writeLock().unlock();
        }
    }

    private void releaseFileLock() {
        try {
            fileLock.release();
        } catch (IOException e) {
            // the lock goes with the channel at exit anyway
        }
        fileLock = null;
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** A held lock; closing it releases it. */
    @FunctionalInterface
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
