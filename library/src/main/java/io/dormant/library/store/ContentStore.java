package io.dormant.library.store;

import io.dormant.library.posix.TmpFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * <p>A workspace's staging store ({@link #openStaging}) writes the same way into one session that
 * is never published nor synced; check-in copies its objects into the main store with
 * {@link #adopt}, and {@link #discardStaging} gives the session up.
 */
public final class ContentStore implements ObjectStore {
    /** Objects up to this size go into packs; a per-object file costs more than the copy. */
    public static final int PACK_LIMIT = 128 * 1024;

    private final Path root;
    private final Path objects;
    private final Packs packs;
    private final ObjectWriter writer;
    private final Object syncLock = new Object();
    private final boolean staging;

    private ContentStore(Path root, boolean staging) throws IOException {
        this.root = root;
        this.staging = staging;
        this.objects = root.resolve("objects");
        this.packs = new Packs(root.resolve("packs"));
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        Files.createDirectories(objects);
        Files.createDirectories(packs.dir());
        this.writer = new ObjectWriter(this, tmp, packs, TmpFile.supported(tmp));
    }

    /** Opens the store at {@code root}, creating its directories if they are missing. */
    public static ContentStore open(Path root) throws IOException {
        ContentStore store = new ContentStore(root.toAbsolutePath(), false);
        // All 256 fan-out directories exist from the start: one mkdir per large object would
        // double its metadata work. "ff" is made last, so its presence means all are there.
        if (!Files.isDirectory(store.objects.resolve("ff"))) {
            for (int i = 0; i < 256; i++) {
                Files.createDirectories(store.objects.resolve(String.format("%02x", i)));
            }
        }
        store.packs.scan();
        return store;
    }

    /**
     * Opens a short-lived store (a workspace's staging area) that nobody else reads: small objects
     * go into one pack, large blobs are files of their own in its session, nothing is made durable
     * (check-in adopts the objects into the main store, whose sync does), and no fan-out directory
     * is made. A file per small object would cost far more: creating a file is the expensive part
     * of writing one on a journaling file system.
     */
    public static ContentStore openStaging(Path root) throws IOException {
        return new ContentStore(root.toAbsolutePath(), true);
    }

    /** A staging store's end: its session is given up (check-in has copied what it needs). */
    public void discardStaging() throws IOException {
        if (!staging) {
            throw new IllegalStateException("only a staging store is discarded; " + root + " is a library store");
        }
        for (OpenPack session : List.copyOf(packs.unpublished())) {
            for (Path blob : session.loose().values()) {
                Files.deleteIfExists(blob); // one that check-in did not move
            }
            session.abandon();
            packs.unpublished().remove(session);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * The directory of the objects that are files of their own, each at {@code ab/cdef…} under it
     * and holding exactly the object's bytes; it is never written in place (objects are renamed
     * into it and removed by gc only), so an overlay can read file data straight from it.
     */
    public Path objectsDir() {
        return objects;
    }

    @Override
    public StoredBlob putBlob(InputStream content) throws IOException {
        return writer.putBlob(content);
    }

    @Override
    public StoredBlob putBlob(Path hostFile) throws IOException {
        return writer.putBlob(hostFile);
    }

    @Override
    public ObjectId putTree(byte[] encoded) throws IOException {
        return writer.putTree(encoded);
    }

    /**
     * Moves an object from a staging store on the same file system into this one (a workspace's
     * check-in): a small one is appended to this session's pack, a large one is renamed into the
     * session; {@link #sync()} publishes both. Copies when the rename cannot be done.
     */
    public void adopt(ContentStore from, ObjectId id) throws IOException {
        writer.adopt(from, id);
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
        if (packs.has(id)) {
            return true;
        }
        if (staging) {
            return false; // no other process writes here, and nothing is a file under objects/
        }
        if (Files.exists(pathFor(id), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            return packs.rescanIfChanged() && packs.has(id);
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
                Packs.Found found = packs.find(id);
                if (found != null) {
                    return packed.apply(found);
                }
                try {
                    return file.apply(pathFor(id));
                } catch (NoSuchFileException e) {
                    Path waiting = packs.sessionFile(id);
                    if (waiting != null) {
                        return file.apply(waiting);
                    }
                }
            } catch (ClosedByInterruptException e) {
                throw e; // this thread is being stopped; looking again would close the pack for the others again
            } catch (NoSuchFileException | ClosedChannelException e) {
                // moved while it was read, or another reader was interrupted: look again
            }
            if (staging || attempt > 0) {
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
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve("tmp"))) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        PackPrune.removeUnpublished(packs);
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
        PruneResult orphans = PackPrune.removeUnpublished(packs);
        removeStaleTemps();
        return loose.plus(packed).plus(orphans);
    }

    /** A pack whose index is damaged: its objects cannot be found through it. */
    public record PackProblem(String pack, Path index, String fault) {
    }

    /** Checks every pack index: its structure (when mapped) and its checksum (here). */
    public List<PackProblem> verifyPacks() throws IOException {
        List<PackProblem> problems = new ArrayList<>();
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
        packs.scan();
    }

    /**
     * Durability barrier and publication point: when this returns, every object written before
     * the call survives a crash, and other processes can see it. One syncfs(2) flushes the packs,
     * their indexes and the large blobs (far less than an fsync per object); only then are they
     * named, and a second syncfs makes the names durable.
     */
    public void sync() throws IOException {
        if (staging) {
            throw new IllegalStateException("a staging store is never published; check-in adopts its objects");
        }
        synchronized (syncLock) {
            writer.endSession();
            packs.publish(List.copyOf(packs.unpublished()), this::pathFor);
        }
    }

    /**
     * A session for gc's rewrite, apart from the one writers append to: no reader needs its
     * objects before it is published (they are still in the old packs), and no sync() may end it.
     */
    OpenPack newPrivateSession() throws IOException {
        return OpenPack.create(packs.dir());
    }

    @Override
    public StoreStats stats() {
        return writer.stats();
    }

    Path pathFor(ObjectId id) {
        String hex = id.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
    }
}
