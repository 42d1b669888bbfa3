package io.dormant.library.store;

import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.TmpFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a {@link ContentStore} writes: small objects are appended to the session's pack, large
 * blobs are hashed while they are written into an unnamed file (or a named temp file where the
 * file system has no O_TMPFILE) and wait in the session until sync names them (a staging store's
 * session is never synced: check-in adopts its objects). Counts what was new and what was
 * already there.
 */
final class ObjectWriter {
    private static final int BUFFER = 256 * 1024;
    /** Room before the bytes read, where a small object's pack entry header goes: one write per object. */
    private static final int HEADROOM = OpenPack.ENTRY_HEADER;
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEADROOM + BUFFER));
    private static final int PACK_LIMIT = ContentStore.PACK_LIMIT;

    private final ContentStore store;
    private final Path tmp;
    private final Packs packs;
    private final boolean unnamedFiles;
    private final AtomicLong objectsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong objectsDeduplicated = new AtomicLong();
    private final AtomicLong bytesDeduplicated = new AtomicLong();
    private final Object sessionLock = new Object();
    private OpenPack session;

    ObjectWriter(ContentStore store, Path tmp, Packs packs, boolean unnamedFiles) {
        this.store = store;
        this.tmp = tmp;
        this.packs = packs;
        this.unnamedFiles = unnamedFiles;
    }

    StoredBlob putBlob(InputStream content) throws IOException {
        return write(Channels.newChannel(content));
    }

    StoredBlob putBlob(Path hostFile) throws IOException {
        try (FileChannel in = FileChannel.open(hostFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return write(in);
        }
    }

    ObjectId putTree(byte[] encoded) throws IOException {
        ObjectId id = ObjectId.hash(encoded);
        if (store.has(id)) {
            deduplicated(encoded.length);
            return id;
        }
        if (encoded.length <= PACK_LIMIT) {
            putSmall(id, ByteBuffer.wrap(encoded));
            return id;
        }
        Path temp = newTemp();
        boolean placed = false;
        try {
            Files.write(temp, encoded, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            placed = placeRenamed(temp, id, encoded.length);
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
        return id;
    }

    /**
     * Hashes while writing, through one direct buffer per thread (no copy into the heap). An
     * object that fits the first buffer and the pack limit goes into the pack; a larger one is
     * written to an unnamed file (or a named temp file where the file system has no O_TMPFILE).
     */
    private StoredBlob write(ReadableByteChannel in) throws IOException {
        ByteBuffer buf = BUFFERS.get();
        int first = fill(in, buf);
        if (first <= PACK_LIMIT && buf.limit() < buf.capacity()) {
            ObjectId id;
            try (Sha256 sha = Sha256.create()) {
                sha.update(buf);
                id = ObjectId.of(sha.digest());
            }
            return putSmall(id, buf);
        }
        return unnamedFiles ? writeUnnamed(in, buf, first) : writeAndRename(in, buf, first);
    }

    /** Appends a small object to this session's pack unless the store has it already. */
    private StoredBlob putSmall(ObjectId id, ByteBuffer bytes) throws IOException {
        long size = bytes.remaining();
        // Most small objects of an apply are new: asked through java.nio, each would throw and catch.
        if (packs.has(id) || Lstat.typeOrNone(store.pathFor(id)) != 0) {
            deduplicated(size);
            return new StoredBlob(id, size, false);
        }
        while (true) {
            switch (session().append(id, bytes)) {
                case NEW -> {
                    written(size);
                    return new StoredBlob(id, size, true);
                }
                case PRESENT -> {
                    deduplicated(size);
                    return new StoredBlob(id, size, false);
                }
                case CLOSED -> {
                    // a sync ended that session just now; the next one takes the object
                }
            }
        }
    }

    private StoredBlob writeUnnamed(ReadableByteChannel in, ByteBuffer buf, int first) throws IOException {
        try (Sha256 sha = Sha256.create(); TmpFile file = TmpFile.open(tmp, 0444)) {
            long size = 0;
            for (int n = first; n > 0; n = fill(in, buf)) {
                sha.update(buf);
                file.write(buf);
                size += n;
            }
            ObjectId id = ObjectId.of(sha.digest());
            boolean isNew = placeInSession(id, file::linkAs);
            account(isNew, size);
            return new StoredBlob(id, size, isNew);
        }
    }

    private StoredBlob writeAndRename(ReadableByteChannel in, ByteBuffer buf, int first) throws IOException {
        Path temp = newTemp();
        boolean placed = false;
        try (Sha256 sha = Sha256.create()) {
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int n = first; n > 0; n = fill(in, buf)) {
                    sha.update(buf);
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    size += n;
                }
            }
            ObjectId id = ObjectId.of(sha.digest());
            placed = placeRenamed(temp, id, size);
            return new StoredBlob(id, size, placed);
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Reads up to a buffer full after the headroom; returns the bytes read (0 at the end), the
     * buffer ready to read them. A limit below the capacity means the input ended.
     */
    private static int fill(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        buf.clear().position(HEADROOM);
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                break;
            }
        }
        buf.limit(buf.position()).position(HEADROOM);
        return buf.remaining();
    }

    /** Gives a finished named temp file its place; false (the caller drops it) when the object is there. */
    private boolean placeRenamed(Path temp, ObjectId id, long size) throws IOException {
        OpenPack.Placer rename = target -> {
            // rename(2) replaces a file another writer placed meanwhile; both hold the same bytes.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        };
        boolean isNew = placeInSession(id, rename);
        account(isNew, size);
        return isNew;
    }

    /** A large blob waits in the session's directory until sync has made it durable and names it. */
    private boolean placeInSession(ObjectId id, OpenPack.Placer placer) throws IOException {
        if (store.has(id)) {
            return false;
        }
        while (true) {
            switch (session().addLoose(id, placer)) {
                case NEW -> {
                    return true;
                }
                case PRESENT -> {
                    return false;
                }
                case CLOSED -> {
                    // a sync ended that session just now; the next one takes the blob
                }
            }
        }
    }

    /** Ends the current session: what is written from now on goes into a new one. */
    void endSession() {
        synchronized (sessionLock) {
            session = null;
        }
    }

    StoreStats stats() {
        return new StoreStats(objectsWritten.get(), bytesWritten.get(), objectsDeduplicated.get(), bytesDeduplicated.get());
    }

    private OpenPack session() throws IOException {
        synchronized (sessionLock) {
            if (session == null) {
                session = OpenPack.create(packs.dir());
                packs.add(session);
            }
            return session;
        }
    }

    /**
     * Moves an object from a staging store on the same file system into this one (a workspace's
     * check-in): a small one is copied into this session's pack, a large one is renamed into the
     * session; {@link ContentStore#sync()} publishes both. Copies when the rename cannot be done.
     */
    void adopt(ContentStore from, ObjectId id) throws IOException {
        ObjectLocation where = from.locate(id);
        if (store.has(id)) {
            deduplicated(where.length());
        } else if (where.length() <= PACK_LIMIT) {
            putSmall(id, withHeadroom(from, id));
        } else {
            // Only objects up to PACK_LIMIT are packed: a larger one is a file of its own.
            Path source = where.file();
            OpenPack.Placer move = target -> {
                try {
                    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                } catch (AtomicMoveNotSupportedException e) {
                    Files.copy(source, target);
                    return true;
                }
            };
            account(placeInSession(id, move), where.length());
        }
    }

    /** An object's bytes after room for its pack entry header, so that the append is one write. */
    private static ByteBuffer withHeadroom(ContentStore from, ObjectId id) throws IOException {
        byte[] bytes = from.read(id, PACK_LIMIT);
        return ByteBuffer.allocate(HEADROOM + bytes.length).position(HEADROOM).put(bytes).flip().position(HEADROOM);
    }

    private void account(boolean isNew, long size) {
        if (isNew) {
            written(size);
        } else {
            deduplicated(size);
        }
    }

    private void written(long size) {
        objectsWritten.incrementAndGet();
        bytesWritten.addAndGet(size);
    }

    private void deduplicated(long size) {
        objectsDeduplicated.incrementAndGet();
        bytesDeduplicated.addAndGet(size);
    }

    private Path newTemp() {
        return tmp.resolve(UUID.randomUUID().toString());
    }
}
