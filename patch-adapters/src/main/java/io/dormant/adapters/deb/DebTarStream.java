package io.dormant.adapters.deb;

import io.dormant.library.tar.TarFormatException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The decompressed tar of one deb member, entry by entry, with every failure of the
 * decompressor or the tar reader turned into a {@link DebFormatException} that names the package,
 * the member and the offset in the uncompressed tar.
 *
 * <p>Uses commons-compress because the library's hardened tar reader is not public; entry names
 * still go through the library's {@code EntryPathResolver}.
 */
final class DebTarStream implements AutoCloseable {

    private final String file;
    private final String member;
    private final InputStream decompressed;
    private final TarArchiveInputStream tar;
    private long entryOffset;

    DebTarStream(String file, String member, DebCompression compression, InputStream raw) throws IOException {
        this.file = file;
        this.member = member;
        InputStream decompressed;
        try {
            decompressed = compression.open(raw);
        } catch (DebFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw DebFormatException.inside(file, member, "corrupt " + compression.name().toLowerCase()
                    + " data at its start: " + e.getMessage(), e);
        }
        this.decompressed = decompressed;
        this.tar = new TarArchiveInputStream(decompressed, "UTF-8");
    }

    /** The next entry, or null at the end of the archive. */
    TarArchiveEntry next() throws IOException {
        long before = tar.getBytesRead();
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw failure(null, before, e);
        }
        // The reader has consumed the entry's (last) header block: that is where the entry starts.
        entryOffset = tar.getBytesRead() - 512;
        return entry;
    }

    /** Where the current entry's header starts in the uncompressed tar. */
    long entryOffset() {
        return entryOffset;
    }

    /** The content of the current entry; read errors name it and the offset reached. */
    InputStream content(TarArchiveEntry entry) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return tar.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    throw failure(entry.getName(), entryOffset, e);
                }
            }
        };
    }

    /**
     * Reads what follows the tar's end-of-archive blocks (padding) to the end of the member, so
     * that a decompressor's fault in its last bytes (a bad checksum, a truncated end) is not missed.
     */
    void readToEnd() throws IOException {
        try {
            decompressed.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            throw failure(null, tar.getBytesRead(), e);
        }
    }

    /** A problem of one entry, found by the caller. */
    DebFormatException refuse(String entry, String problem) {
        return DebFormatException.inside(file, member, "entry '" + DebArIndex.printable(entry) + "' at offset "
                + entryOffset + ": " + problem, null);
    }

    DebFormatException failure(String entry, long offset, Exception e) {
        if (e instanceof DebFormatException d) {
            return d;
        }
        if (e instanceof TarFormatException t) {
            return DebFormatException.inside(file, member, t.getMessage(), t);
        }
        String where = (entry == null ? "" : "entry '" + DebArIndex.printable(entry) + "' ") + "at offset " + offset;
        String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (problem.toLowerCase().contains("truncated") || e instanceof java.io.EOFException) {
            return DebFormatException.inside(file, member, where + ": the archive ends at offset " + tar.getBytesRead()
                    + " of the uncompressed tar; it is truncated (" + problem + ")", e);
        }
        return DebFormatException.inside(file, member, where + ": corrupt data: " + problem, e);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
