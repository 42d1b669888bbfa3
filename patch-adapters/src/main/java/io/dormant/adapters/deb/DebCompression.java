package io.dormant.adapters.deb;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions of a deb's tar members. dpkg picks the decompressor by the member name's
 * extension, not by magic, so we do too; the magic is then checked so that a mislabelled member
 * fails here with a clear message rather than as garbage in the tar reader.
 */
enum DebCompression {
    NONE("", new byte[0]),
    GZIP(".gz", new byte[] {0x1f, (byte) 0x8b}),
    XZ(".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
    ZSTD(".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    BZIP2(".bz2", new byte[] {'B', 'Z', 'h'}),
    /** The legacy lzma-alone format has no magic; the decoder checks its header. */
    LZMA(".lzma", new byte[0]);

    private final String extension;
    private final byte[] magic;

    DebCompression(String extension, byte[] magic) {
        this.extension = extension;
        this.magic = magic;
    }

    String extension() {
        return extension;
    }

    /** The compression a member name's extension after {@code prefix} stands for, or null. */
    /**
     * What an xz member may make its decoder allocate. dpkg-deb compresses with a dictionary of 8
     * MiB (-6) and at most 64 MiB (-9); a header asking for gigabytes is hostile and is refused
     * before anything is allocated.
     */
    static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    static DebCompression byExtension(String extension) {
        for (DebCompression c : values()) {
            if (c.extension.equals(extension)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The decompressed stream of {@code raw}.
     *
     * @throws IOException when the content does not start as this compression does
     */
    InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = checked(raw);
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            // The dictionary (8 MiB for dpkg-deb's default) is allocated and zeroed per stream; a
            // set of packages opens dozens of small xz members, so closed streams hand theirs on.
            case XZ -> new XZInputStream(in, XZ_MEMORY_LIMIT_KIB, true, BasicArrayCache.getInstance());
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in);
            case LZMA -> new LZMAInputStream(in);
        };
    }

    /**
     * {@code raw}, buffered, once its first bytes are this compression's magic.
     *
     * @throws IOException when they are not
     */
    BufferedInputStream checked(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(magic.length);
        byte[] head = in.readNBytes(magic.length);
        in.reset();
        if (!Arrays.equals(head, magic)) {
            throw new IOException("the content is not " + name().toLowerCase() + " data, as the name's extension '"
                    + extension + "' says");
        }
        return in;
    }
}
