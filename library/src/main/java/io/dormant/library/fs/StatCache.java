package io.dormant.library.fs;

import io.dormant.library.store.ObjectId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per image path, the stat of a host file when its content was last hashed, so that a
 * re-import reads only files whose stat changed. Like git's index, a file whose ctime is too
 * close to the moment of hashing is not trusted ("racily clean") and is hashed again next time.
 */
public final class StatCache {
    private static final int MAGIC = 0x44534331; // "DSC1"

    /** What the cache knows of one file. */
    public record Entry(long dev, long ino, long size, long mtimeNanos, long ctimeNanos, ObjectId blob) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** An empty cache. */
    public StatCache() {
    }

    /** The cache file for a source directory under {@code cacheDir}: one file per source root. */
    public static Path fileFor(Path cacheDir, Path source) {
        byte[] key = source.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return cacheDir.resolve("statcache-" + ObjectId.hash(key).hex().substring(0, 32));
    }

    /** Loads a cache file; a missing or unreadable one gives an empty cache (it is only a cache). */
    public static StatCache load(Path file) {
        StatCache cache = new StatCache();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                return cache;
            }
            int count = in.readInt();
            byte[] id = new byte[ObjectId.LENGTH];
            for (int i = 0; i < count; i++) {
                byte[] path = new byte[in.readUnsignedShort() | (in.readUnsignedByte() << 16)];
                in.readFully(path);
                Entry e = new Entry(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), null);
                in.readFully(id);
                cache.entries.put(new String(path, StandardCharsets.ISO_8859_1),
                        new Entry(e.dev, e.ino, e.size, e.mtimeNanos, e.ctimeNanos, ObjectId.of(id)));
            }
        } catch (NoSuchFileException e) {
            return cache;
        } catch (EOFException | IllegalArgumentException e) {
            return new StatCache();
        } catch (IOException e) {
            return new StatCache();
        }
        return cache;
    }

    /** Writes the cache to a temp file and renames it, so a crash leaves the old or the new one. */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        // Per process and thread: concurrent imports of one source in one JVM save the same cache.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try (OutputStream raw = Files.newOutputStream(temp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(entries.size());
            for (Map.Entry<String, Entry> me : entries.entrySet()) {
                byte[] path = me.getKey().getBytes(StandardCharsets.ISO_8859_1);
                out.writeShort(path.length & 0xffff);
                out.writeByte(path.length >>> 16);
                out.write(path);
                Entry e = me.getValue();
                out.writeLong(e.dev);
                out.writeLong(e.ino);
                out.writeLong(e.size);
                out.writeLong(e.mtimeNanos);
                out.writeLong(e.ctimeNanos);
                e.blob.writeTo(out);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The blob of {@code imagePath} if its stat is exactly what was recorded, else null. */
    ObjectId lookup(byte[] imagePath, HostStat st) {
        Entry e = entries.get(key(imagePath));
        if (e == null || e.dev != st.dev() || e.ino != st.ino() || e.size != st.size()
                || e.mtimeNanos != st.mtimeTotalNanos() || e.ctimeNanos != st.ctimeNanos()) {
            return null;
        }
        return e.blob;
    }

    /** Records a hash unless the file changed too recently to be sure of it (racily clean). */
    void record(byte[] imagePath, HostStat st, ObjectId blob, long trustBeforeNanos) {
        if (st.ctimeNanos() < trustBeforeNanos && st.mtimeTotalNanos() < trustBeforeNanos) {
            entries.put(key(imagePath), new Entry(st.dev(), st.ino(), st.size(), st.mtimeTotalNanos(), st.ctimeNanos(), blob));
        }
    }

    public int size() {
        return entries.size();
    }

    private static String key(byte[] imagePath) {
        return new String(imagePath, StandardCharsets.ISO_8859_1);
    }

}
