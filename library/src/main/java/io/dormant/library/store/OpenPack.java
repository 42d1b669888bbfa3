package io.dormant.library.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one writer session has written and not yet published: the pack it appends small objects
 * to ({@code packs/<name>.pack}, no index yet) and the large blobs it keeps under
 * {@code packs/<name>.session/<hex>} until {@code sync()} names them. Nothing here is visible to other
 * processes. The session holds a lock on its pack file for its whole life ({@link PackFile}), which
 * is how gc (in another process) tells a live session from one a crash left behind.
 */
final class OpenPack {
    static final byte[] MAGIC = {'D', 'O', 'R', 'M', 'P', 'A', 'C', 'K'};
    static final int VERSION = 1;
    static final int HEADER = MAGIC.length + 4;
    /** Before each object: its id and its length (so a pack can be read without its index). */
    static final int ENTRY_HEADER = ObjectId.LENGTH + 4;

    /** Sessions open in this JVM, which gc must not touch (a file lock cannot tell them apart). */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    record Slot(long offset, int length) {
    }

    enum Put { NEW, PRESENT, CLOSED }

    /** Gives a finished large blob its temp name; false if that name exists already. */
    @FunctionalInterface
    interface Placer {
        boolean place(Path target) throws IOException;
    }

    private final String name;
    private final Path packFile;
    private final Path sessionDir;
    private final PackFile file;
    private final Map<ObjectId, Slot> slots = new ConcurrentHashMap<>();
    private final Map<ObjectId, Path> loose = new ConcurrentHashMap<>();
    private long end = HEADER;
    private boolean closed;
    private boolean sessionDirMade;
    private FileChannel reader;

    private OpenPack(String name, Path packFile, Path sessionDir, PackFile file) {
        this.name = name;
        this.packFile = packFile;
        this.sessionDir = sessionDir;
        this.file = file;
    }

    static OpenPack create(Path packs) throws IOException {
        String name = UUID.randomUUID().toString().replace("-", "");
        LIVE.add(name);
        Path packFile = packs.resolve(name + ".pack");
        PackFile file = null;
        try {
            file = PackFile.create(packFile);
            file.write(ByteBuffer.allocate(HEADER).put(MAGIC).putInt(VERSION).flip(), 0);
            return new OpenPack(name, packFile, packs.resolve(name + ".session"), file);
        } catch (IOException | RuntimeException e) {
            LIVE.remove(name);
            if (file != null) {
                file.close();
                Files.deleteIfExists(packFile);
            }
            throw e;
        }
    }

    /**
     * True when the session named {@code name} is still being written: by this JVM, or by another
     * process that holds the lock on its pack file. A pack file that is gone has no live session.
     */
    static boolean isLive(Path packs, String name) throws IOException {
        return LIVE.contains(name) || PackFile.isLocked(packs.resolve(name + ".pack"));
    }

    String name() {
        return name;
    }

    Path packFile() {
        return packFile;
    }

    /** Appends a small object's bytes (the buffer's remaining bytes; its position is kept). */
    synchronized Put append(ObjectId id, ByteBuffer data) throws IOException {
        if (closed) {
            return Put.CLOSED;
        }
        if (slots.containsKey(id)) {
            return Put.PRESENT;
        }
        int length = data.remaining();
        if (data.position() >= ENTRY_HEADER && !data.isReadOnly()) {
            // The caller left room before the bytes: header and bytes go out in one write.
            int start = data.position() - ENTRY_HEADER;
            ByteBuffer entry = data.duplicate().put(start, id.raw()).putInt(start + ObjectId.LENGTH, length).position(start);
            writeFully(entry, end);
        } else {
            writeFully(ByteBuffer.allocate(ENTRY_HEADER).put(id.raw()).putInt(length).flip(), end);
            writeFully(data.duplicate(), end + ENTRY_HEADER);
        }
        slots.put(id, new Slot(end + ENTRY_HEADER, length));
        end += ENTRY_HEADER + length;
        return Put.NEW;
    }

    /** Gives a large blob its session name through {@code placer}. */
    synchronized Put addLoose(ObjectId id, Placer placer) throws IOException {
        if (closed) {
            return Put.CLOSED;
        }
        if (loose.containsKey(id)) {
            return Put.PRESENT;
        }
        makeSessionDir();
        Path target = sessionDir.resolve(id.hex());
        if (!placer.place(target)) {
            return Put.PRESENT;
        }
        loose.put(id, target);
        return Put.NEW;
    }

    Slot slot(ObjectId id) {
        return slots.get(id);
    }

    /** A large blob's file while it waits for sync; it moves to {@code objects/} during sync. */
    Path looseFile(ObjectId id) {
        return loose.get(id);
    }

    boolean holds(ObjectId id) {
        return slots.containsKey(id) || loose.containsKey(id);
    }

    /**
     * A read-only channel on the pack for this process's readers, apart from the writer's
     * descriptor: reopened when an interrupted reader closed it.
     */
    synchronized FileChannel reader() throws IOException {
        if (reader == null || !reader.isOpen()) {
            reader = FileChannel.open(packFile, StandardOpenOption.READ);
        }
        return reader;
    }

    Map<ObjectId, Slot> slots() {
        return slots;
    }

    Map<ObjectId, Path> loose() {
        return loose;
    }

    /** Ends the session: later writes go to a new one. Returns the pack's final length. */
    synchronized long close() {
        closed = true;
        return end;
    }

    /** Writes the index under a temp name in the session directory; null when the pack holds nothing. */
    Path writeIndex(long packSize) throws IOException {
        if (slots.isEmpty()) {
            return null;
        }
        makeSessionDir();
        Path temp = sessionDir.resolve("index");
        Files.deleteIfExists(temp); // left by a sync that failed after writing it
        PackIndex.write(temp, slots, packSize);
        return temp;
    }

    /** Gives up an unpublished session (a gc rewrite that failed): its pack and directory go. */
    void abandon() throws IOException {
        close();
        slots.clear();
        loose.clear();
        finish();
    }

    /** After publication: drops the session directory and the lock, and an empty pack file. */
    void finish() throws IOException {
        try {
            if (slots.isEmpty()) {
                Files.deleteIfExists(packFile);
            }
            Files.deleteIfExists(sessionDir.resolve("index"));
            Files.deleteIfExists(sessionDir);
        } finally {
            try {
                file.close();
                synchronized (this) {
                    if (reader != null) {
                        reader.close();
                    }
                }
            } finally {
                LIVE.remove(name);
            }
        }
    }

    private synchronized void makeSessionDir() throws IOException {
        if (!sessionDirMade) {
            Files.createDirectories(sessionDir);
            sessionDirMade = true;
        }
    }

    private void writeFully(ByteBuffer buf, long position) throws IOException {
        file.write(buf, position);
    }
}
