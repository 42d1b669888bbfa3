package io.dormant.library.store;

import io.dormant.library.posix.Posix;
import io.dormant.library.posix.TmpFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Objects (blobs and trees) on a local file system, named by SHA-256, at {@code objects/ab/cdef…}.
 *
 * <p>A blob is hashed while it is written into an unnamed file (O_TMPFILE) in {@code tmp/}, which
 * is linked to its name when complete; where the file system cannot do that, a named temp file in
 * {@code tmp/} is renamed. Either way a reader sees a whole object or none, and when the object
 * already exists the new copy is dropped: the bytes are the same by definition, so two writers
 * racing on the same content both succeed. Objects are never rewritten.
 *
 * <p>Objects are not fsynced one by one; {@link #sync()} is the barrier that makes everything
 * written so far durable, and a catalogue row may name an object only after it returns.
 */
public final class ContentStore implements ObjectStore {
    private static final int BUFFER = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final AtomicLong objectsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong objectsDeduplicated = new AtomicLong();
    private final AtomicLong bytesDeduplicated = new AtomicLong();
    private final boolean fansMadeUpFront;
    private boolean unnamedFiles;

    private ContentStore(Path root, boolean fansMadeUpFront) {
        this.root = root;
        this.fansMadeUpFront = fansMadeUpFront;
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
    }

    /** Opens the store at {@code root}, creating its directories if they are missing. */
    public static ContentStore open(Path root) throws IOException {
        ContentStore store = new ContentStore(root.toAbsolutePath(), true);
        Files.createDirectories(store.tmp);
        // All 256 fan-out directories exist from the start: one mkdir per object would double the
        // metadata work of an import. "ff" is made last, so its presence means all are there.
        if (!Files.isDirectory(store.objects.resolve("ff"))) {
            for (int i = 0; i < 256; i++) {
                Files.createDirectories(store.objects.resolve(String.format("%02x", i)));
            }
        }
        store.unnamedFiles = TmpFile.supported(store.tmp);
        return store;
    }

    /**
     * Opens a short-lived store (a workspace's staging area) whose fan-out directories are made
     * on demand, so opening it costs two mkdirs, not 258.
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
        Path temp = newTemp();
        boolean published = false;
        try {
            Files.write(temp, encoded, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            published = publish(temp, id, encoded.length);
        } finally {
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
        return id;
    }

    /**
     * Hashes while writing, through one direct buffer per thread (no copy into the heap). Where
     * the file system allows, the object is an unnamed file that is linked to its name when
     * complete; elsewhere it is a named temp file that is renamed.
     */
    private StoredBlob write(ReadableByteChannel in) throws IOException {
        ByteBuffer buf = BUFFERS.get();
        if (!unnamedFiles) {
            return writeAndRename(in, buf);
        }
        try (Sha256 sha = Sha256.create(); TmpFile file = TmpFile.open(tmp, 0444)) {
            long size = 0;
            for (int n; (n = fill(in, buf)) > 0; ) {
                sha.update(buf);
                file.write(buf);
                size += n;
            }
            ObjectId id = ObjectId.of(sha.digest());
            Path target = pathFor(id);
            if (!fansMadeUpFront) {
                Files.createDirectories(target.getParent());
            }
            if (file.linkAs(target)) {
                objectsWritten.incrementAndGet();
                bytesWritten.addAndGet(size);
                return new StoredBlob(id, size, true);
            }
            deduplicated(size);
            return new StoredBlob(id, size, false);
        }
    }

    private StoredBlob writeAndRename(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        Path temp = newTemp();
        boolean published = false;
        try (Sha256 sha = Sha256.create()) {
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int n; (n = fill(in, buf)) > 0; ) {
                    sha.update(buf);
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    size += n;
                }
            }
            ObjectId id = ObjectId.of(sha.digest());
            published = publish(temp, id, size);
            return new StoredBlob(id, size, published);
        } finally {
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Reads up to a buffer full; returns the bytes read (0 at the end), buffer flipped for reading. */
    private static int fill(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                break;
            }
        }
        buf.flip();
        return buf.remaining();
    }

    /**
     * Renames a finished temp file to its object name and returns true, or returns false (the
     * caller drops the temp file) when the object is already there.
     */
    private boolean publish(Path temp, ObjectId id, long size) throws IOException {
        Path target = pathFor(id);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deduplicated(size);
            return false;
        }
        if (!fansMadeUpFront) {
            Files.createDirectories(target.getParent());
        }
        // rename(2) replaces an object another writer published meanwhile; both hold the same bytes.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        objectsWritten.incrementAndGet();
        bytesWritten.addAndGet(size);
        return true;
    }

    /**
     * Moves an object from another store on the same file system into this one by rename (a
     * workspace's staging layer at check-in). Copies when the rename cannot be done.
     */
    public void adopt(ContentStore from, ObjectId id) throws IOException {
        Path source = from.pathFor(id);
        Path target = pathFor(id);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deduplicated(Files.size(source));
            Files.deleteIfExists(source);
            return;
        }
        long size = Files.size(source);
        if (!fansMadeUpFront) {
            Files.createDirectories(target.getParent());
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                write(in);
                return;
            }
        }
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
        try {
            return Files.newInputStream(pathFor(id));
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(id, root);
        }
    }

    @Override
    public byte[] read(ObjectId id, int maxBytes) throws IOException {
        long size = size(id);
        if (size > maxBytes) {
            throw new IOException("object " + id.hex() + " is " + size + " bytes, more than the limit of " + maxBytes);
        }
        return Files.readAllBytes(pathFor(id));
    }

    @Override
    public boolean has(ObjectId id) {
        return Files.exists(pathFor(id), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(ObjectId id) throws IOException {
        try {
            return Files.size(pathFor(id));
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(id, root);
        }
    }

    @Override
    public Path pathOf(ObjectId id) throws IOException {
        Path p = pathFor(id);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new MissingObjectException(id, root);
        }
        return p;
    }

    /** Removes an object; for gc, which must know that nothing names it. */
    public boolean delete(ObjectId id) throws IOException {
        return Files.deleteIfExists(pathFor(id));
    }

    /** Calls {@code action} with every object id in the store (for gc and fsck); skips stray files. */
    public void forEachObject(Consumer<ObjectId> action) throws IOException {
        try (DirectoryStream<Path> fans = Files.newDirectoryStream(objects)) {
            for (Path fan : fans) {
                String prefix = fan.getFileName().toString();
                if (prefix.length() != 2 || !Files.isDirectory(fan, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
                    for (Path f : files) {
                        ObjectId id = tryParse(prefix + f.getFileName());
                        if (id != null) {
                            action.accept(id);
                        }
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Removes temp files left by writers that crashed; only safe when no writer is running. */
    public void removeStaleTemps() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Durability barrier: when this returns, every object written before the call survives a
     * crash. One syncfs(2) of the store's file system costs far less than an fsync per object.
     */
    public void sync() throws IOException {
        Posix.syncfs(objects);
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(objectsWritten.get(), bytesWritten.get(), objectsDeduplicated.get(), bytesDeduplicated.get());
    }

    Path pathFor(ObjectId id) {
        String hex = id.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
    }

    private static ObjectId tryParse(String hex) {
        try {
            return ObjectId.parse(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
