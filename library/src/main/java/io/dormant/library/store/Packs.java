package io.dormant.library.store;

import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The packs of one store as this process sees them: the published ones (those with an index in
 * {@code packs/}, as of the last scan) and this store's own unpublished sessions. Finds an object
 * in any of them and reads it; a miss in the published packs is retried after a re-scan, because
 * another process may have published a pack since.
 */
final class Packs {

    /** Where a packed object's bytes are. */
    record Found(FileChannel channel, long offset, int length) {
    }

    private final Path dir;
    private final List<OpenPack> unpublished = new CopyOnWriteArrayList<>();
    private volatile Map<String, PackIndex> published = Map.of();
    private volatile Map<String, IOException> damaged = Map.of();
    private volatile FileTime scanned;

    Packs(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * Reads {@code packs/} again: maps the indexes that appeared, forgets those that went (gc
     * rewrote their packs). A damaged index is remembered, not thrown: its objects are missing
     * to readers, and fsck names the index.
     */
    synchronized void scan() throws IOException {
        scanned = Files.getLastModifiedTime(dir);
        Map<String, PackIndex> now = new HashMap<>();
        Map<String, IOException> broken = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.idx")) {
            for (Path idx : files) {
                String file = idx.getFileName().toString();
                String name = file.substring(0, file.length() - ".idx".length());
                PackIndex known = published.get(name);
                if (known != null) {
                    now.put(name, known);
                    continue;
                }
                try {
                    now.put(name, PackIndex.load(idx));
                } catch (NoSuchFileException e) {
                    // deleted by gc between listing and opening
                } catch (IOException e) {
                    broken.put(name, e);
                }
            }
        }
        List<PackIndex> gone = new ArrayList<>();
        for (Map.Entry<String, PackIndex> old : published.entrySet()) {
            if (!now.containsKey(old.getKey())) {
                gone.add(old.getValue());
            }
        }
        published = Map.copyOf(now);
        damaged = Map.copyOf(broken);
        for (PackIndex index : gone) {
            index.close();
        }
    }

    /**
     * Re-scans when {@code packs/} changed since the last scan (one stat). Two changes within one
     * tick of the file system's clock can hide the second; a reader that misses then re-scans
     * anyway, and a writer stores a second copy, which is harmless.
     */
    boolean rescanIfChanged() throws IOException {
        if (Files.getLastModifiedTime(dir).equals(scanned)) {
            return false;
        }
        scan();
        return true;
    }

    void add(OpenPack pack) {
        unpublished.add(pack);
    }

    List<OpenPack> unpublished() {
        return unpublished;
    }

    /** Moves a session's pack into the published set, once its index is in place. */
    private synchronized void published(OpenPack pack, Path indexFile) throws IOException {
        if (indexFile != null) {
            Map<String, PackIndex> now = new HashMap<>(published);
            now.put(pack.name(), PackIndex.load(indexFile));
            published = Map.copyOf(now);
        }
        unpublished.remove(pack);
    }

    /**
     * Publishes finished sessions: their packs, indexes and large blobs are flushed (one syncfs),
     * then named (large blobs at {@code looseName}, each index at {@code <name>.idx}), then the names
     * are flushed. Safe to repeat after a failure: what was named already stays named.
     */
    void publish(List<OpenPack> sessions, Function<ObjectId, Path> looseName) throws IOException {
        Map<OpenPack, Path> indexes = new HashMap<>();
        for (OpenPack s : sessions) {
            Path index = s.writeIndex(s.close());
            if (index != null) {
                indexes.put(s, index);
            }
        }
        boolean wroteSomething = !indexes.isEmpty() || sessions.stream().anyMatch(s -> !s.loose().isEmpty());
        if (wroteSomething) {
            // Nothing written, nothing to make durable: an unchanged re-import skips both flushes,
            // which would otherwise wait for every other writer's dirty pages on the file system.
            Posix.syncfs(dir);
        }
        Map<OpenPack, Path> named = new HashMap<>();
        for (OpenPack s : sessions) {
            for (Map.Entry<ObjectId, Path> blob : s.loose().entrySet()) {
                if (Files.exists(blob.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                    // rename(2) replaces a file another process named meanwhile; both hold the same bytes.
                    Files.move(blob.getValue(), looseName.apply(blob.getKey()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Path index = indexes.get(s);
            if (index != null) {
                Path target = dir.resolve(s.name() + ".idx");
                Files.move(index, target, StandardCopyOption.ATOMIC_MOVE);
                named.put(s, target);
            }
        }
        if (wroteSomething) {
            Posix.syncfs(dir);
        }
        for (OpenPack s : sessions) {
            published(s, named.get(s));
            s.finish();
        }
    }

    /** Forgets a published pack that gc is about to delete. */
    synchronized void forget(PackIndex index) throws IOException {
        Map<String, PackIndex> now = new HashMap<>(published);
        now.remove(index.name());
        published = Map.copyOf(now);
        index.close();
    }

    Iterable<PackIndex> indexes() {
        return published.values();
    }

    Map<String, IOException> damaged() {
        return damaged;
    }

    /** True when this process's sessions or the packs of the last scan hold {@code id}. */
    boolean has(ObjectId id) {
        for (OpenPack pack : unpublished) {
            if (pack.holds(id)) {
                return true;
            }
        }
        for (PackIndex index : published.values()) {
            if (index.find(id) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A large blob of an unpublished session, or null. */
    Path sessionFile(ObjectId id) {
        for (OpenPack pack : unpublished) {
            Path p = pack.looseFile(id);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Where a packed object is, or null; does not re-scan. */
    Found find(ObjectId id) throws IOException {
        for (OpenPack pack : unpublished) {
            OpenPack.Slot slot = pack.slot(id);
            if (slot != null) {
                return new Found(pack.reader(), slot.offset(), slot.length());
            }
        }
        for (PackIndex index : published.values()) {
            int i = index.find(id);
            if (i >= 0) {
                return new Found(index.pack(), index.offset(i), index.length(i));
            }
        }
        return null;
    }

    /** Which pack file holds {@code id} and where, or null (for fsck and tests). */
    ObjectLocation locate(ObjectId id) {
        for (OpenPack pack : unpublished) {
            OpenPack.Slot slot = pack.slot(id);
            if (slot != null) {
                return new ObjectLocation(pack.packFile(), slot.offset(), slot.length());
            }
        }
        for (PackIndex index : published.values()) {
            int i = index.find(id);
            if (i >= 0) {
                return new ObjectLocation(index.packFile(), index.offset(i), index.length(i));
            }
        }
        return null;
    }

    static byte[] read(Found found) throws IOException {
        byte[] bytes = new byte[found.length()];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long position = found.offset();
        while (buf.hasRemaining()) {
            int n = found.channel().read(buf, position);
            if (n < 0) {
                throw new IOException("pack ends before the object at offset " + found.offset() + " (" + found.length() + " bytes)");
            }
            position += n;
        }
        return bytes;
    }
}
