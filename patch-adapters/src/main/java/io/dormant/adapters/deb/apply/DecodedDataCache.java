package io.dormant.adapters.deb.apply;

import io.dormant.library.fs.LeastRecentlyUsed;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    /** Starts keeping what is decompressed for the package file with this SHA-256. */
    Recording record(String packageSha) throws IOException {
        Files.createDirectories(dir);
        return new Recording(packageSha, Files.createTempFile(dir, "." + packageSha, ".tmp"));
    }

    /** One archive being decompressed and kept: {@link #keep()} when complete, else {@link #discard()}. */
    final class Recording {
        private final String packageSha;
        private final Path temp;
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private long written;

        private Recording(String packageSha, Path temp) throws IOException {
            this.packageSha = packageSha;
            this.temp = temp;
            this.out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20);
        }

        /** Copies everything written to {@code to} into the entry too, while it stays under the entry limit. */
        OutputStream tee(OutputStream to) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    to.write(b, off, len);
                    if (written + len <= ENTRY_LIMIT) {
                        out.write(b, off, len);
                        crc.update(b, off, len);
                    }
                    written += len;
                }
            };
        }

        void keep() throws IOException {
            out.close();
            if (written > ENTRY_LIMIT) {
                discard();
                return;
            }
            Files.move(temp, dir.resolve(packageSha + "-" + check(crc, written) + SUFFIX),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            evict();
        }

        void discard() {
            try {
                out.close();
            } catch (IOException e) {
                // removed below either way
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a stray temporary file; the next eviction does not count it, and it holds no entry
            }
        }
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
