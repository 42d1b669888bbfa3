package io.dormant.adapters.deb.apply;

import io.dormant.library.fs.LeastRecentlyUsed;
import io.dormant.library.fs.ProcessOwner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The decompressed data archives of packages applied before, so that the next image of a campaign
 * given the same packages skips their decompression (xz decodes at 35-50 MB/s, most of an apply's
 * CPU). An entry is named by the package file's SHA-256 and by the CRC-32C and size of the
 * decompressed tar; both are checked before the entry is used, and a damaged entry is removed and
 * refused. The check is against accidental damage, as the store's own objects are not re-hashed on
 * every read either: CRC-32C runs in hardware at several GB/s, where SHA-256 without SHA extensions
 * takes about 0.9 CPU-seconds for the 350 MB of a large set, on every apply. Entries past
 * {@link #ENTRY_LIMIT} are not kept; past {@link #SIZE_LIMIT} in all, the least recently used go.
 */
final class DecodedDataCache {

    static final long ENTRY_LIMIT = 512L << 20;
    static final long SIZE_LIMIT = 4L << 30;
    static final String SUFFIX = ".tar";
    /** The part after the package's SHA-256: CRC-32C (8 hex digits) and size. */
    private static final Pattern CHECK = Pattern.compile("([0-9a-f]{8})-([0-9]+)");

    private static final String TEMPORARY = ".tmp";
    /** A file being decoded into: ".SHA-256.OWNER.RANDOM.tmp". */
    private static final Pattern DECODING = Pattern.compile("\\.[0-9a-f]{64}\\.([0-9]+-(?:[0-9]+|x))\\.[0-9]+\\.tmp");

    private final Path dir;
    private boolean swept;

    DecodedDataCache(Path dir) {
        this.dir = dir;
    }

    /** The entry for the package file with this SHA-256, or null when there is none. */
    Path find(String packageSha) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, packageSha + "-*" + SUFFIX)) {
            for (Path entry : entries) {
                if (CHECK.matcher(check(entry)).matches()) {
                    return entry;
                }
                // Named by an earlier release's check: decompressed afresh and kept anew.
                Files.deleteIfExists(entry);
            }
        }
        return null;
    }

    private static String check(Path entry) {
        String name = entry.getFileName().toString();
        return name.substring(name.indexOf('-') + 1, name.length() - SUFFIX.length());
    }

    /**
     * Checks an entry's bytes against its name and marks it used; a damaged entry is removed.
     *
     * @param packageName names the package in the error
     */
    void verify(Path entry, String packageName) throws IOException {
        if (!check(entry).equals(checkOf(entry))) {
            Files.deleteIfExists(entry);
            throw new IOException("the cached decompressed data of " + packageName + " (" + entry + ") was damaged and is"
                    + " removed; nothing was applied. Run the apply again: it decompresses the package afresh");
        }
        LeastRecentlyUsed.markUsed(entry);
    }

    /**
     * A new empty file in the cache for decoding into, to {@link #keep(Path, String)} or delete. Its
     * name says which process decodes into it, so that the file of a process killed mid-decode is
     * found and removed (by the first reservation of a later apply).
     */
    Path reserve(String packageSha) throws IOException {
        Files.createDirectories(dir);
        sweepOnce();
        return Files.createTempFile(dir, "." + packageSha + "." + ProcessOwner.current().asName() + ".", TEMPORARY);
    }

    private synchronized void sweepOnce() {
        if (!swept) {
            swept = true;
            sweepAbandoned(dir);
        }
    }

    /**
     * Removes the files being decoded into by processes that are gone; returns how many. A file
     * named without its owner (as an earlier release named them) goes once a day old.
     */
    static int sweepAbandoned(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + TEMPORARY)) {
            for (Path file : files) {
                Matcher name = DECODING.matcher(file.getFileName().toString());
                boolean abandoned = name.matches()
                        ? ProcessOwner.parseName(name.group(1)).map(owner -> !owner.alive()).orElse(false)
                        : olderThanADay(file);
                if (abandoned && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            // Only tidying: the next apply tries again.
        }
        return removed;
    }

    private static boolean olderThanADay(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
    }

    /**
     * Keeps a file decoded into {@link #reserve} as the package's entry, named by its check; a file
     * past {@link #ENTRY_LIMIT} is removed instead. A reader that has it open reads on either way.
     */
    void keep(Path decoded, String packageSha) throws IOException {
        if (Files.size(decoded) > ENTRY_LIMIT) {
            Files.deleteIfExists(decoded);
            return;
        }
        Files.move(decoded, dir.resolve(packageSha + "-" + checkOf(decoded) + SUFFIX),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        evict();
    }

    /** Removes the least recently used entries while all of them take more than {@link #SIZE_LIMIT}. */
    private synchronized void evict() throws IOException {
        LeastRecentlyUsed.trim(dir, "*" + SUFFIX, SIZE_LIMIT);
    }

    /** "CRC-32C-size" of a file's bytes. */
    static String checkOf(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = channel.read(buffer)) >= 0; ) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
                size += n;
            }
        }
        return check(crc, size);
    }

    private static String check(CRC32C crc, long size) {
        return String.format("%08x-%d", crc.getValue(), size);
    }
}
