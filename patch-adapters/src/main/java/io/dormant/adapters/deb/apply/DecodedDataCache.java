package io.dormant.adapters.deb.apply;

import io.dormant.library.fs.LeastRecentlyUsed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    private static final java.util.regex.Pattern CHECK = java.util.regex.Pattern.compile("([0-9a-f]{8})-([0-9]+)");

    private final Path dir;

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

    /** A new empty file in the cache for decoding into, to {@link #keep(Path, String)} or delete. */
    Path reserve(String packageSha) throws IOException {
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + packageSha, ".tmp");
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
