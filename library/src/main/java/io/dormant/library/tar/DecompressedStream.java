package io.dormant.library.tar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Turns a decompressor's own errors into "corrupt gzip/xz/zstd data" with the offset reached. */
final class DecompressedStream extends FilterInputStream {
    private final CompressionFormat format;
    private long offset;

    DecompressedStream(InputStream in, CompressionFormat format) {
        super(in);
        this.format = format;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            if (n > 0) {
                offset += n;
            }
            return n;
        } catch (TarFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TarFormatException(null, offset,
                    "corrupt " + format.name().toLowerCase() + " data: " + e.getMessage(), e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }
}
