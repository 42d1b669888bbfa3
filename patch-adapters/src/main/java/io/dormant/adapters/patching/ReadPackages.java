package io.dormant.adapters.patching;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Package files this process has read, by the identity of the file: a campaign applies the same
 * files to image after image (in the engine, or in a resident process), and reading one hashes it
 * whole and decompresses its control archive each time.
 *
 * <p>The key is the file's device, inode, size, and modification and change times to the
 * nanosecond: writing to a file or replacing it changes one of them. A file changed within
 * {@link #SETTLED} of the read is not kept, because a file system's clock ticks coarser than its
 * nanoseconds and two writes in one tick would leave the same times (git's "racily clean" files).
 */
final class ReadPackages {

    static final Duration SETTLED = Duration.ofSeconds(2);
    /**
     * The control archives kept, in bytes: most are a few KB, but a package with many translated
     * debconf templates has a megabyte of them.
     */
    private static final long KEPT_BYTES = 64L << 20;

    private record Key(Object device, Object inode, long size, FileTime modified, FileTime changed) {
    }

    /** Least recently used first; guarded by itself. */
    private static final Map<Key, DebPackage> KNOWN = new LinkedHashMap<>(64, 0.75f, true);
    private static long keptBytes;

    private ReadPackages() {
    }

    /** {@link DebPackageReader#read}, answered from an earlier read of the same, unchanged file. */
    static DebPackage read(Path file) throws IOException {
        return read(file, SETTLED);
    }

    static DebPackage read(Path file, Duration settledAfter) throws IOException {
        Key before = key(file);
        synchronized (KNOWN) {
            DebPackage known = KNOWN.get(before);
            if (known != null) {
                return known;
            }
        }
        DebPackage read = DebPackageReader.read(file);
        Key after = key(file);
        Instant settled = Instant.now().minus(settledAfter);
        if (after.equals(before) && after.modified().toInstant().isBefore(settled)
                && after.changed().toInstant().isBefore(settled)) {
            keep(after, read);
        }
        return read;
    }

    private static void keep(Key key, DebPackage read) {
        synchronized (KNOWN) {
            DebPackage replaced = KNOWN.put(key, read);
            keptBytes += weight(read) - (replaced == null ? 0 : weight(replaced));
            for (var eldest = KNOWN.entrySet().iterator(); keptBytes > KEPT_BYTES && eldest.hasNext(); ) {
                keptBytes -= weight(eldest.next().getValue());
                eldest.remove();
            }
        }
    }

    private static long weight(DebPackage pkg) {
        return pkg.controlFiles().values().stream().mapToLong(bytes -> bytes.length).sum();
    }

    private static Key key(Path file) throws IOException {
        Map<String, Object> stat = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
        return new Key(stat.get("dev"), stat.get("ino"), (Long) stat.get("size"), (FileTime) stat.get("lastModifiedTime"),
                (FileTime) stat.get("ctime"));
    }
}
