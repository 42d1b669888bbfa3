package io.dormant.library.tar;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/** The compressions a tar import accepts, each recognised by its magic bytes. */
public enum CompressionFormat {
    GZIP(new byte[] {0x1f, (byte) 0x8b}),
    XZ(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    NONE(new byte[0]);

    private final byte[] magic;

    CompressionFormat(byte[] magic) {
        this.magic = magic;
    }

    public boolean matches(byte[] signature) {
        if (signature.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (signature[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The format whose magic starts {@code signature}; NONE when none does (plain tar). */
    public static CompressionFormat detect(byte[] signature) {
        for (CompressionFormat f : values()) {
            if (f != NONE && f.matches(signature)) {
                return f;
            }
        }
        return NONE;
    }

    /**
     * The uncompressed stream of {@code raw}, with the format detected from its first bytes.
     * Errors of the decompressor are reported as corrupt compression, with the uncompressed offset.
     */
    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(16);
        byte[] sig = in.readNBytes(6);
        in.reset();
        CompressionFormat format = detect(sig);
        InputStream out = switch (format) {
            case GZIP -> opened(format, () -> new GZIPInputStream(in, 1 << 16));
            case XZ -> opened(format, () -> new XZInputStream(in));
            case ZSTD -> opened(format, () -> new ZstdInputStream(in));
            case NONE -> in;
        };
        return format == NONE ? out : new DecompressedStream(out, format);
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private static InputStream opened(CompressionFormat format, Opener opener) throws TarFormatException {
        try {
            return opener.open();
        } catch (IOException e) {
            throw new TarFormatException(null, 0, "corrupt " + format.name().toLowerCase() + " data: " + e.getMessage(), e);
        }
    }
}
