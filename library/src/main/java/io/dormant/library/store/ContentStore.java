package io.dormant.library.store;

import io.dormant.library.posix.Posix;
import io.dormant.library.posix.TmpFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Objects (blobs and trees) on a local file system, named by SHA-256. Objects up to
 * {@link #PACK_LIMIT} bytes (most files and trees of an image) are appended to a pack, one per
 * writer session; larger blobs are files of their own at {@code objects/ab/cdef…}.
 *
 * <p>Nothing a session writes is visible to other processes before {@link #sync()}: that fsyncs
 * the pack, the large blobs and the pack's index (one syncfs for all), then names them (the large
 * blobs are renamed into {@code objects/}, the index is renamed into {@code packs/}, which
 * publishes the pack), then makes the names durable. So a name another process can see always
 * has its bytes on disk, and dedup never trusts an object that a power cut could take away. The
 * writing process reads its own unpublished objects at once. Objects are never rewritten in
 * place; gc replaces a pack by a smaller one ({@link #prune}).
 *
 * <p>A workspace's staging store ({@link #openStaging}) keeps every object as a file of its own
 * and is never synced; check-in moves its objects into the main store with {@link #adopt}.
 */
public final class ContentStore implements ObjectStore {
    /** Objects up to this size go into packs; a per-object file costs more than the copy. */
    public static final int PACK_LIMIT = 128 * 1024;
    private static final int BUFFER = 256 * 1024;
    /** Room before the bytes read, where a small object's pack entry header goes: one write per object. */
    private static final int HEADROOM = OpenPack.ENTRY_HEADER;
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEADROOM + BUFFER));

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final Packs packs;
    private final AtomicLong objectsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong objectsDeduplicated = new AtomicLong();
    private final AtomicLong bytesDeduplicated = new AtomicLong();
    private final Object sessionLock = new Object();
    private final Object syncLock = new Object();
    private OpenPack session;
    private boolean unnamedFiles;

    private ContentStore(Path root, boolean packed) {
        this.root = root;
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
        this.packs = packed ? new Packs(root.resolve("packs")) : null;
    }

    /** Opens the store at {@code root}, creating its directories if they are missing. */
    public static ContentStore open(Path root) throws IOException {
        ContentStore store = new ContentStore(root.toAbsolutePath(), true);
        Files.createDirectories(store.tmp);
        Files.createDirectories(store.packs.dir());
        // All 256 fan-out directories exist from the start: one mkdir per object would double the
        // metadata work of an import. "ff" is made last, so its presence means all are there.
        if (!Files.isDirectory(store.objects.resolve("ff"))) {
            for (int i = 0; i < 256; i++) {
                Files.createDirectories(store.objects.resolve(String.format("%02x", i)));
            }
        }
        store.unnamedFiles = TmpFile.supported(store.tmp);
        store.packs.scan();
        return store;
    }

    /**
     * Opens a short-lived store (a workspace's staging area): every object is a file of its own,
     * written without durability (check-in adopts them into the main store, whose sync makes them
     * durable), and fan-out directories are made on demand, so opening it costs two mkdirs.
     */
    public static ContentStore openStaging(Path root) throws IOException {
        ContentStore store = new ContentStore(root.toAbsolutePath(), false);
        Files.createDirectories(store.tmp);
        Files.createDirectories(store.objects);
        store.unnamedFiles = TmpFile.supported(store.tmp);
        return store;
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredBlob putBlob(InputStream content) throws IOException {
        return write(Channels.newChannel(content));
    }

    @Override
    public StoredBlob putBlob(Path hostFile) throws IOException {
        try (FileChannel in = FileChannel.open(hostFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return write(in);
        }
    }

    @Override
    public ObjectId putTree(byte[] encoded) throws IOException {
        ObjectId id = ObjectId.hash(encoded);
        if (has(id)) {
            deduplicated(encoded.length);
            return id;
        }
        if (packs != null && encoded.length <= PACK_LIMIT) {
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
        if (packs != null && first <= PACK_LIMIT && buf.limit() < buf.capacity()) {
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
        if (packs.has(id) || Files.exists(pathFor(id), LinkOption.NOFOLLOW_LINKS)) {
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
            boolean isNew = packs == null ? placeStaged(id, file::linkAs) : placeInSession(id, file::linkAs);
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
        boolean isNew = packs == null ? placeStaged(id, rename) : placeInSession(id, rename);
        account(isNew, size);
        return isNew;
    }

    /** A staging store names an object at once: it is private and never synced. */
    private boolean placeStaged(ObjectId id, OpenPack.Placer placer) throws IOException {
        Path target = pathFor(id);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        return placer.place(target);
    }

    /** A large blob waits in the session's directory until sync has made it durable and names it. */
    private boolean placeInSession(ObjectId id, OpenPack.Placer placer) throws IOException {
        if (has(id)) {
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
     * check-in): a small one is appended to this session's pack, a large one is renamed into the
     * session; {@link #sync()} publishes both. Copies when the rename cannot be done.
     */
    public void adopt(ContentStore from, ObjectId id) throws IOException {
        Path source = from.pathFor(id);
        long size = Files.size(source);
        if (has(id)) {
            deduplicated(size);
        } else if (packs != null && size <= PACK_LIMIT) {
            putSmall(id, ByteBuffer.wrap(Files.readAllBytes(source)));
        } else {
            OpenPack.Placer move = target -> {
                try {
                    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                } catch (AtomicMoveNotSupportedException e) {
                    Files.copy(source, target);
                    return true;
                }
            };
            account(packs == null ? placeStaged(id, move) : placeInSession(id, move), size);
        }
        Files.deleteIfExists(source);
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

    @Override
    public InputStream open(ObjectId id) throws IOException {
        return access(id, found -> new ByteArrayInputStream(Packs.read(found)), Files::newInputStream);
    }

    @Override
    public byte[] read(ObjectId id, int maxBytes) throws IOException {
        return access(id, found -> {
            refuseOver(id, found.length(), maxBytes);
            return Packs.read(found);
        }, file -> {
            refuseOver(id, Files.size(file), maxBytes);
            return Files.readAllBytes(file);
        });
    }

    private static void refuseOver(ObjectId id, long size, int maxBytes) throws IOException {
        if (size > maxBytes) {
            throw new IOException("object " + id.hex() + " is " + size + " bytes, more than the limit of " + maxBytes);
        }
    }

    /**
     * True when the object is in the store as this process sees it: this store's own unpublished
     * objects count, other processes' unpublished ones do not. Packs published since the last look
     * are seen when {@code packs/} changed (so a miss costs one stat more).
     */
    @Override
    public boolean has(ObjectId id) {
        if ((packs != null && packs.has(id)) || Files.exists(pathFor(id), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            return packs != null && packs.rescanIfChanged() && packs.has(id);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long size(ObjectId id) throws IOException {
        return access(id, found -> (long) found.length(), Files::size);
    }

    /** Copies the object into {@code out} without passing its bytes through the heap. */
    @Override
    public long transferTo(ObjectId id, WritableByteChannel out) throws IOException {
        return access(id, found -> copy(found.channel(), found.offset(), found.length(), out), file -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                return copy(in, 0, in.size(), out);
            }
        });
    }

    private static long copy(FileChannel in, long offset, long length, WritableByteChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            long n = in.transferTo(offset + done, length - done, out);
            if (n <= 0) {
                throw new IOException("object ends after " + done + " of its " + length + " bytes");
            }
            done += n;
        }
        return done;
    }

    /**
     * The file of an object stored on its own (a blob above {@link #PACK_LIMIT}, or any object of
     * a store written before packs). An object kept in a pack has none: read it through
     * {@link #open} or {@link #transferTo}.
     */
    @Override
    public Path pathOf(ObjectId id) throws IOException {
        Path p = pathFor(id);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return p;
        }
        ObjectLocation where = locate(id);
        throw new IOException("object " + id.hex() + " is not a file of its own (it is in " + where.file()
                + "); read it through open() or transferTo()");
    }

    /** Where the object's bytes are: its own file or a range of a pack file. */
    public ObjectLocation locate(ObjectId id) throws IOException {
        return access(id, found -> {
            ObjectLocation in = packs.locate(id);
            if (in == null) {
                throw new NoSuchFileException(id.hex()); // moved since it was found: look again
            }
            return in;
        }, file -> new ObjectLocation(file, 0, Files.size(file)));
    }

    private interface Access<T> {
        T apply(Packs.Found found) throws IOException;
    }

    private interface FileAccess<T> {
        T apply(Path file) throws IOException;
    }

    /**
     * Finds an object (this process's sessions and the known packs first, then its own file, then
     * a large blob of a session) and applies {@code packed} or {@code file} to it. Looks once more,
     * after re-scanning the packs, when it is nowhere or moved while it was read (a sync renamed it,
     * gc replaced its pack).
     */
    private <T> T access(ObjectId id, Access<T> packed, FileAccess<T> file) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Packs.Found found = packs == null ? null : packs.find(id);
                if (found != null) {
                    return packed.apply(found);
                }
                try {
                    return file.apply(pathFor(id));
                } catch (NoSuchFileException e) {
                    Path waiting = packs == null ? null : packs.sessionFile(id);
                    if (waiting != null) {
                        return file.apply(waiting);
                    }
                }
            } catch (NoSuchFileException | ClosedChannelException e) {
                // moved while it was read: look again
            }
            if (packs == null || attempt > 0) {
                throw new MissingObjectException(id, root);
            }
            packs.scan();
        }
    }

    /** Removes an object stored on its own; for gc, which must know that nothing names it. */
    public boolean delete(ObjectId id) throws IOException {
        return Files.deleteIfExists(pathFor(id));
    }

    /**
     * Calls {@code action} once with every object id in the store (its own files, the published
     * packs, this store's unpublished sessions), for fsck, tests and check-in; skips stray files.
     */
    public void forEachObject(Consumer<ObjectId> action) throws IOException {
        Set<ObjectId> packed = new HashSet<>();
        if (packs != null) {
            packs.scan();
            for (OpenPack session : packs.unpublished()) {
                packed.addAll(session.slots().keySet());
                packed.addAll(session.loose().keySet());
            }
            for (PackIndex index : packs.indexes()) {
                for (int i = 0; i < index.count(); i++) {
                    packed.add(index.id(i));
                }
            }
            packed.forEach(action);
        }
        LooseObjects.forEach(objects, id -> {
            if (!packed.contains(id)) {
                action.accept(id);
            }
        });
    }

    /**
     * Removes what a crash left behind: temp files in {@code tmp/}, and packs and session
     * directories of writer sessions that no process holds (they never got an index). Temp files
     * of a running writer are removed too, so call it only when no writer is running (gc).
     */
    public void removeStaleTemps() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        if (packs != null) {
            PackPrune.removeUnpublished(packs);
        }
    }

    /**
     * Drops every object that {@code keep} rejects: files of their own are deleted, and each pack
     * that holds such an object is replaced by a new pack of the rest (small packs are merged on
     * the way). Only for gc, which holds the store lock exclusively.
     */
    public PruneResult prune(Predicate<ObjectId> keep) throws IOException {
        sync();
        packs.scan();
        PruneResult loose = LooseObjects.prune(objects, keep);
        PruneResult packed = new PackPrune(this, packs, keep).run();
        int orphans = PackPrune.removeUnpublished(packs);
        removeStaleTemps();
        return loose.plus(packed).plus(new PruneResult(0, 0, 0, orphans));
    }

    /** A pack whose index is damaged: its objects cannot be found through it. */
    public record PackProblem(String pack, Path index, String fault) {
    }

    /** Checks every pack index: its structure (when mapped) and its checksum (here). */
    public List<PackProblem> verifyPacks() throws IOException {
        List<PackProblem> problems = new ArrayList<>();
        if (packs == null) {
            return problems;
        }
        packs.scan();
        packs.damaged().forEach((name, e) -> problems.add(new PackProblem(name, packs.dir().resolve(name + ".idx"), e.getMessage())));
        for (PackIndex index : packs.indexes()) {
            try {
                index.verify();
            } catch (IOException e) {
                problems.add(new PackProblem(index.name(), index.indexFile(), e.getMessage()));
            }
        }
        return problems;
    }

    /** Looks at {@code packs/} again, for a long-running process that must see packs other processes published. */
    public void refresh() throws IOException {
        if (packs != null) {
            packs.scan();
        }
    }

    /**
     * Durability barrier and publication point: when this returns, every object written before
     * the call survives a crash, and other processes can see it. One syncfs(2) flushes the packs,
     * their indexes and the large blobs (far less than an fsync per object); only then are they
     * named, and a second syncfs makes the names durable.
     */
    public void sync() throws IOException {
        if (packs == null) {
            Posix.syncfs(objects);
            return;
        }
        synchronized (syncLock) {
            synchronized (sessionLock) {
                session = null;
            }
            publish(List.copyOf(packs.unpublished()));
        }
    }

    /** Publishes finished sessions: flush, name, flush the names. Safe to repeat after a failure. */
    void publish(List<OpenPack> sessions) throws IOException {
        Map<OpenPack, Path> indexes = new HashMap<>();
        for (OpenPack s : sessions) {
            Path index = s.writeIndex(s.close());
            if (index != null) {
                indexes.put(s, index);
            }
        }
        Posix.syncfs(packs.dir());
        Map<OpenPack, Path> named = new HashMap<>();
        for (OpenPack s : sessions) {
            for (Map.Entry<ObjectId, Path> blob : s.loose().entrySet()) {
                Path target = pathFor(blob.getKey());
                if (Files.exists(blob.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(blob.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Path index = indexes.get(s);
            if (index != null) {
                Path target = packs.dir().resolve(s.name() + ".idx");
                Files.move(index, target, StandardCopyOption.ATOMIC_MOVE);
                named.put(s, target);
            }
        }
        Posix.syncfs(packs.dir());
        for (OpenPack s : sessions) {
            packs.published(s, named.get(s));
            s.finish();
        }
    }

    /** A new session for gc's rewrite, apart from the one writers append to. */
    OpenPack newSession() throws IOException {
        OpenPack s = OpenPack.create(packs.dir());
        packs.add(s);
        return s;
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(objectsWritten.get(), bytesWritten.get(), objectsDeduplicated.get(), bytesDeduplicated.get());
    }

    Path pathFor(ObjectId id) {
        String hex = id.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
    }
}
