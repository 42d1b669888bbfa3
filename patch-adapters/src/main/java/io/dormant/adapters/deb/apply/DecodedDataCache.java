package io.dormant.adapters.deb.apply;

import io.dormant.library.store.ObjectId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decompressed data archives of packages applied before, so that the next image of a campaign
 * given the same packages skips their decompression (xz decodes at 35-50 MB/s, most of an apply's
 * CPU). An entry is named by the package file's SHA-256 and by the SHA-256 of the decompressed tar;
 * the second is checked (libcrypto, about 1.4 GB/s) before the entry is used, and a damaged entry
 * is removed and refused. Entries past {@link #ENTRY_LIMIT} are not kept; past {@link #SIZE_LIMIT}
 * in all, the least recently used go.
 */
final class DecodedDataCache {

    static final long ENTRY_LIMIT = 512L << 20;
    static final long SIZE_LIMIT = 4L << 30;
    private static final String SUFFIX = ".tar";

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
                return entry;
            }
        }
        return null;
    }

    /**
     * Checks an entry's bytes against its name and marks it used; a damaged entry is removed.
     *
     * @param packageName names the package in the error
     */
    void verify(Path entry, String packageName) throws IOException {
        String name = entry.getFileName().toString();
        String expected = name.substring(name.indexOf('-') + 1, name.length() - SUFFIX.length());
        if (!ObjectId.hashFile(entry).hex().equals(expected)) {
            Files.deleteIfExists(entry);
            throw new IOException("the cached decompressed data of " + packageName + " (" + entry + ") was damaged and is"
                    + " removed; nothing was applied. Run the apply again: it decompresses the package afresh");
        }
        Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
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
            Files.move(temp, dir.resolve(packageSha + "-" + ObjectId.hashFile(temp).hex() + SUFFIX),
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
        List<Path> entries = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : listing) {
                entries.add(entry);
                total += Files.size(entry);
            }
        }
        entries.sort(Comparator.comparing(DecodedDataCache::lastUsed));
        for (Path entry : entries) {
            if (total <= SIZE_LIMIT) {
                break;
            }
            total -= Files.size(entry);
            Files.deleteIfExists(entry);
        }
    }

    private static FileTime lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
