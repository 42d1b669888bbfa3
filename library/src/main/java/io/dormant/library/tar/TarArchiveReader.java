package io.dormant.library.tar;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Reads ustar, GNU and PAX tar archives: GNU long names and links, PAX records (path, linkpath,
 * size, uid, gid, nanosecond mtime, SCHILY.xattr.*, RHT.security.selinux, LIBARCHIVE.xattr.*),
 * base-256 numbers. Values are kept as raw bytes: GNU tar writes binary xattr values (capabilities,
 * ACLs) into PAX records. Sparse and multi-volume members are refused, not guessed at.
 */
final class TarArchiveReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private final TarLimits limits;
    private final byte[] block = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private long offset;
    private long remaining;
    private long padding;
    private TarHeader current;
    private long entries;

    TarArchiveReader(InputStream in, TarLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** The next member, or null at the end-of-archive marker; skips what is left of the current one. */
    TarHeader next() throws IOException {
        skipRest();
        Map<String, byte[]> pax = new HashMap<>();
        byte[] longName = null;
        byte[] longLink = null;
        long first = -1;
        while (true) {
            long at = offset;
            if (first < 0) {
                first = at;
            }
            if (!readHeaderBlock(at, longName)) {
                throw new TarFormatException(null, at, "the archive ends without an end-of-archive marker; it is truncated");
            }
            if (isZero(block)) {
                return null;
            }
            checkChecksum(at);
            char type = (char) block[156];
            byte[] rawName = field(0, 100);
            String label = Printable.of(longName != null ? longName : rawName);
            long size = number(124, 12, label, at, "size");
            switch (type) {
                case 'x' -> pax.putAll(PaxHeaders.parse(readSmall(size, limits.maxPaxHeader(), label, at, "PAX header"), label, at));
                case 'g' -> globalPax.putAll(PaxHeaders.parse(readSmall(size, limits.maxPaxHeader(), label, at, "global PAX header"), label, at));
                case 'L' -> longName = trimNul(readSmall(size, limits.maxLongName(), label, at, "GNU long name"));
                case 'K' -> longLink = trimNul(readSmall(size, limits.maxLongName(), label, at, "GNU long link name"));
                case 'V' -> skipContent(size);
                case 'S' -> throw new TarFormatException(label, at, "GNU sparse members are not supported; recreate the archive without --sparse");
                case 'M' -> throw new TarFormatException(label, at, "multi-volume archives are not supported");
                default -> {
                    if (++entries > limits.maxEntries()) {
                        throw new LimitExceededException(label, at, "entry count", entries, limits.maxEntries());
                    }
                    return member(type, rawName, longName, longLink, pax, size, first);
                }
            }
        }
    }

    private TarHeader member(char type, byte[] rawName, byte[] longName, byte[] longLink, Map<String, byte[]> pax,
                             long size, long at) throws IOException {
        Map<String, byte[]> all = new HashMap<>(globalPax);
        all.putAll(pax);
        byte[] name = all.containsKey("path") ? all.get("path") : longName != null ? longName : ustarName(rawName);
        String label = Printable.of(name);
        byte[] link = all.containsKey("linkpath") ? all.get("linkpath") : longLink != null ? longLink : field(157, 100);
        if (all.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw new TarFormatException(label, at, "PAX sparse members are not supported; recreate the archive without --sparse");
        }
        if (all.containsKey("size")) {
            size = PaxHeaders.decimal(all.get("size"), label, at, "PAX size");
        }
        if (size < 0) {
            throw new TarFormatException(label, at, "negative size " + size);
        }
        boolean hasContent = type == '0' || type == '\0' || type == '7' || type == 'D';
        if (hasContent && size > limits.maxEntrySize()) {
            throw new LimitExceededException(label, at, "declared size", size, limits.maxEntrySize());
        }
        long uid = all.containsKey("uid") ? PaxHeaders.decimal(all.get("uid"), label, at, "PAX uid") : number(108, 8, label, at, "uid");
        long gid = all.containsKey("gid") ? PaxHeaders.decimal(all.get("gid"), label, at, "PAX gid") : number(116, 8, label, at, "gid");
        long mtime = number(136, 12, label, at, "mtime");
        int nanos = 0;
        if (all.containsKey("mtime")) {
            long[] t = PaxHeaders.time(all.get("mtime"), label, at);
            mtime = t[0];
            nanos = (int) t[1];
        }
        int mode = (int) (number(100, 8, label, at, "mode") & 07777);
        int major = (int) number(329, 8, label, at, "devmajor");
        int minor = (int) number(337, 8, label, at, "devminor");
        SortedMap<String, byte[]> xattrs = PaxHeaders.xattrs(all, label, at);
        // Like GNU tar, only regular members carry data; a size declared on a link or device is not content.
        long data = hasContent ? size : 0;
        remaining = data;
        padding = (BLOCK - data % BLOCK) % BLOCK;
        current = new TarHeader(name, type, mode, uid, gid, size, mtime, nanos, link, major, minor, xattrs, at);
        return current;
    }

    /** The content of the current member; EOF before its declared size is a truncation error. */
    InputStream content() {
        TarHeader h = current;
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncated(h);
                }
                remaining -= n;
                offset += n;
                return n;
            }
        };
    }

    private TarFormatException truncated(TarHeader h) {
        return new TarFormatException(h.displayName(), h.offset(), "the archive ends at offset " + offset + ", "
                + remaining + " bytes before the end of this entry's " + h.size() + " bytes of content; it is truncated");
    }

    private void skipRest() throws IOException {
        if (current != null) {
            byte[] buf = new byte[8192];
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw truncated(current);
                }
                remaining -= n;
                offset += n;
            }
            while (padding > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, padding));
                if (n < 0) {
                    throw new TarFormatException(current.displayName(), current.offset(),
                            "the archive ends at offset " + offset + " inside the padding after this entry; it is truncated");
                }
                padding -= n;
                offset += n;
            }
            current = null;
        }
    }

    private void skipContent(long size) throws IOException {
        byte[] buf = new byte[8192];
        long left = size + (BLOCK - size % BLOCK) % BLOCK;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new TarFormatException(null, offset, "the archive ends inside a volume label; it is truncated");
            }
            left -= n;
            offset += n;
        }
    }

    /** Reads one header block; false at a clean EOF, an error at EOF inside the block. */
    private boolean readHeaderBlock(long at, byte[] pendingName) throws IOException {
        int got = in.readNBytes(block, 0, BLOCK);
        offset += got;
        if (got == 0) {
            return false;
        }
        if (got < BLOCK) {
            throw new TarFormatException(pendingName == null ? null : Printable.of(pendingName), at,
                    "the archive ends at offset " + offset + " inside a 512-byte header; it is truncated");
        }
        return true;
    }

    private byte[] readSmall(long size, int limit, String label, long at, String what) throws IOException {
        if (size > limit) {
            throw new LimitExceededException(label, at, what, size, limit);
        }
        byte[] data = in.readNBytes((int) size);
        offset += data.length;
        if (data.length < size) {
            throw new TarFormatException(label, at, "the archive ends at offset " + offset + " inside a " + what + "; it is truncated");
        }
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        long skipped = in.readNBytes((int) pad).length;
        offset += skipped;
        if (skipped < pad) {
            throw new TarFormatException(label, at, "the archive ends at offset " + offset + " after a " + what + "; it is truncated");
        }
        return data;
    }

    private void checkChecksum(long at) throws TarFormatException {
        long stored;
        try {
            stored = octal(148, 8);
        } catch (NumberFormatException e) {
            throw new TarFormatException(null, at, "no valid tar header here (bad checksum field); not a tar archive, or corrupt");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new TarFormatException(null, at, "header checksum " + stored + " does not match " + unsigned
                    + "; not a tar archive, or corrupt");
        }
    }

    private byte[] ustarName(byte[] name) {
        boolean posix = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r' && block[262] == 0;
        byte[] prefix = posix ? field(345, 155) : new byte[0];
        if (prefix.length == 0) {
            return name;
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        out[prefix.length] = '/';
        System.arraycopy(name, 0, out, prefix.length + 1, name.length);
        return out;
    }

    private byte[] field(int off, int len) {
        int end = off;
        while (end < off + len && block[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(block, off, end);
    }

    /** Octal, or GNU base-256 when the high bit of the first byte is set. */
    private long number(int off, int len, String label, long at, String what) throws TarFormatException {
        if ((block[off] & 0x80) != 0) {
            if ((block[off] & 0x40) != 0) {
                throw new TarFormatException(label, at, "negative base-256 " + what);
            }
            long v = block[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new TarFormatException(label, at, what + " does not fit in 63 bits");
                }
                v = (v << 8) | (block[off + i] & 0xff);
            }
            return v;
        }
        try {
            return octal(off, len);
        } catch (NumberFormatException e) {
            throw new TarFormatException(label, at, "invalid octal " + what + " field");
        }
    }

    private long octal(int off, int len) {
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        for (; i < end; i++) {
            byte b = block[i];
            if (b == 0 || b == ' ') {
                break;
            }
            if (b < '0' || b > '7') {
                throw new NumberFormatException();
            }
            v = (v << 3) | (b - '0');
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] trimNul(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }
}
