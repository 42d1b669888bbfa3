package io.dormant.library.fs;

import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers, per image path, the lstat of a host entry when it was last imported, with what was
 * read of it then: a file's blob, a symlink's target, the xattrs, a directory's names and tree.
 * A re-import trusts all of it for an entry whose lstat is exactly the same, ctime included
 * (write, chmod, chown, setxattr, link and rename all move ctime; a directory's mtime moves when
 * a name in it is added, removed or renamed). Like git's index, an entry whose times are too close
 * to the moment it was read is not trusted ("racily clean") and is read again next time.
 */
public final class StatCache {
    /** Times within this of the start of an import are not trusted: the clock ticks coarser than ns. */
    static final long RACY_WINDOW_NANOS = 100_000_000L;
    /** Where ctime has no sub-second part, the file system may keep whole seconds (or two). */
    private static final long COARSE_RACY_WINDOW_NANOS = 2_100_000_000L;

    /**
     * What the cache knows of one entry: its lstat and, where known, its content: {@code id} is a
     * file's blob or a directory's tree, {@code xattrs} null when they were not read,
     * {@code target} a symlink's, {@code names} a directory's.
     */
    record Entry(int mode, long uid, long gid, long nlink, long dev, long ino, long rdev, long size, long mtimeNanos,
                 long ctimeNanos, ObjectId id, SortedMap<String, byte[]> xattrs, byte[] target, List<byte[]> names) {

        static Entry of(HostStat st, ObjectId id, SortedMap<String, byte[]> xattrs, byte[] target, List<byte[]> names) {
            return new Entry(st.mode(), st.uid(), st.gid(), st.nlink(), st.dev(), st.ino(), st.rdev(), st.size(),
                    st.mtimeTotalNanos(), st.ctimeNanos(), id, xattrs, target, names);
        }

        boolean sameStat(HostStat st) {
            return ctimeNanos == st.ctimeNanos() && ino == st.ino() && mtimeNanos == st.mtimeTotalNanos()
                    && size == st.size() && mode == st.mode() && dev == st.dev() && uid == st.uid() && gid == st.gid()
                    && nlink == st.nlink() && rdev == st.rdev();
        }
    }

    private final Map<String, Entry> entries;
    /** Entries put by {@link #record}: while none are, this cache holds only what it was given by {@link #keep}. */
    private final AtomicInteger recorded = new AtomicInteger();

    /** An empty cache. */
    public StatCache() {
        this(new ConcurrentHashMap<>());
    }

    StatCache(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** An empty cache for about as many entries as {@code like} holds. */
    static StatCache sizedLike(StatCache like) {
        return new StatCache(new ConcurrentHashMap<>(like.size() + 16));
    }

    /** The cache file for a source directory under {@code cacheDir}: one file per source root. */
    public static Path fileFor(Path cacheDir, Path source) {
        byte[] key = source.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return cacheDir.resolve("statcache-" + ObjectId.hash(key).hex().substring(0, 32));
    }

    /** Loads a cache file; a missing, damaged or older one gives an empty cache (it is only a cache). */
    public static StatCache load(Path file) {
        return new StatCache(StatCacheFile.read(file));
    }

    /** Writes the cache to a temp file and renames it, so a crash leaves the old or the new one. */
    public void save(Path file) throws IOException {
        StatCacheFile.write(file, entries);
    }

    /** What was recorded for {@code imagePath} if its lstat is exactly {@code st} now, else null. */
    Entry unchanged(byte[] imagePath, HostStat st) {
        Entry e = entries.get(key(imagePath));
        return e != null && e.sameStat(st) ? e : null;
    }

    /** Records a file's blob, read or written with the given stat; its xattrs are not known. */
    void record(byte[] imagePath, HostStat st, ObjectId blob, long trustBeforeNanos) {
        record(imagePath, Entry.of(st, blob, null, null, null), trustBeforeNanos);
    }

    /** Records an entry unless it changed too recently to be sure of what was read (racily clean). */
    void record(byte[] imagePath, Entry e, long trustBeforeNanos) {
        long before = e.ctimeNanos % 1_000_000_000L == 0 && trustBeforeNanos != Long.MAX_VALUE
                ? trustBeforeNanos - (COARSE_RACY_WINDOW_NANOS - RACY_WINDOW_NANOS) : trustBeforeNanos;
        if (e.ctimeNanos < before && e.mtimeNanos < before) {
            entries.put(key(imagePath), e);
            recorded.incrementAndGet();
        }
    }

    /** Carries over an entry found unchanged (the same instance, which {@link #sameAs} relies on). */
    void keep(byte[] imagePath, Entry e) {
        entries.put(key(imagePath), e);
    }

    /**
     * True when this cache holds exactly the entries of {@code previous}: nothing was recorded, and
     * as many entries were kept (each path is met once in a walk) as {@code previous} holds.
     */
    boolean sameAs(StatCache previous) {
        return recorded.get() == 0 && entries.size() == previous.entries.size();
    }

    public int size() {
        return entries.size();
    }

    private static String key(byte[] imagePath) {
        return new String(imagePath, StandardCharsets.ISO_8859_1);
    }
}
