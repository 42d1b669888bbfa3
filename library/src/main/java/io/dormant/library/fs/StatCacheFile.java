package io.dormant.library.fs;

import io.dormant.library.fs.StatCache.Entry;
import io.dormant.library.store.ObjectId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The on-disk form of a {@link StatCache}: one file read and written whole, varints, and a CRC32C
 * at the end. A cache that names a wrong blob would import wrong content silently, so a file that
 * is damaged in any way (a torn write after a crash, another version) is dropped, never half-read.
 */
final class StatCacheFile {
    private static final int MAGIC = 0x44534332; // "DSC2"
    private static final int HAS_ID = 1;
    private static final int HAS_XATTRS = 2;
    private static final int HAS_TARGET = 4;
    private static final int HAS_NAMES = 8;

    private StatCacheFile() {
    }

    /** The entries of a cache file; empty when it is missing or damaged. */
    static Map<String, Entry> read(Path file) {
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            return entries;
        }
        if (data.length < 12 || !checksumMatches(data)) {
            return entries;
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, data.length - 4);
        try {
            if (in.getInt() != MAGIC) {
                return entries;
            }
            int count = in.getInt();
            if (count < 0 || count > data.length) {
                return entries;
            }
            entries = new ConcurrentHashMap<>(count + 16);
            for (int i = 0; i < count; i++) {
                String path = new String(bytes(in), StandardCharsets.ISO_8859_1);
                entries.put(path, entry(in));
            }
            return in.hasRemaining() ? new ConcurrentHashMap<>() : entries;
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return new ConcurrentHashMap<>();
        }
    }

    private static Entry entry(ByteBuffer in) {
        int mode = (int) varint(in);
        long uid = varint(in);
        long gid = varint(in);
        long nlink = varint(in);
        long dev = varint(in);
        long ino = varint(in);
        long rdev = varint(in);
        long size = varint(in);
        long mtime = varint(in);
        long ctime = varint(in);
        int flags = in.get();
        ObjectId id = null;
        if ((flags & HAS_ID) != 0) {
            byte[] b = new byte[ObjectId.LENGTH];
            in.get(b);
            id = ObjectId.of(b);
        }
        SortedMap<String, byte[]> xattrs = null;
        if ((flags & HAS_XATTRS) != 0) {
            int n = count(in);
            xattrs = n == 0 ? Collections.emptySortedMap() : new TreeMap<>();
            for (int i = 0; i < n; i++) {
                xattrs.put(new String(bytes(in), StandardCharsets.UTF_8), bytes(in));
            }
        }
        byte[] target = (flags & HAS_TARGET) != 0 ? bytes(in) : null;
        List<byte[]> names = null;
        if ((flags & HAS_NAMES) != 0) {
            int n = count(in);
            names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(bytes(in));
            }
        }
        return new Entry(mode, uid, gid, nlink, dev, ino, rdev, size, mtime, ctime, id, xattrs, target, names);
    }

    /** Writes to a temp file beside {@code file} and renames it over. */
    static void write(Path file, Map<String, Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 96);
        out.writeBytes(ByteBuffer.allocate(8).putInt(MAGIC).putInt(entries.size()).array());
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            writeBytes(out, me.getKey().getBytes(StandardCharsets.ISO_8859_1));
            writeEntry(out, me.getValue());
        }
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] data = Arrays.copyOf(body, body.length + 4);
        ByteBuffer.wrap(data, body.length, 4).putInt((int) crc.getValue());

        Files.createDirectories(file.getParent());
        // Per process and thread: concurrent imports of one source in one JVM save the same cache.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            Files.write(temp, data);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeEntry(ByteArrayOutputStream out, Entry e) {
        for (long v : new long[] {e.mode(), e.uid(), e.gid(), e.nlink(), e.dev(), e.ino(), e.rdev(), e.size(),
                e.mtimeNanos(), e.ctimeNanos()}) {
            writeVarint(out, v);
        }
        int flags = (e.id() != null ? HAS_ID : 0) | (e.xattrs() != null ? HAS_XATTRS : 0)
                | (e.target() != null ? HAS_TARGET : 0) | (e.names() != null ? HAS_NAMES : 0);
        out.write(flags);
        if (e.id() != null) {
            out.writeBytes(e.id().toBytes());
        }
        if (e.xattrs() != null) {
            writeVarint(out, e.xattrs().size());
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                writeBytes(out, x.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, x.getValue());
            }
        }
        if (e.target() != null) {
            writeBytes(out, e.target());
        }
        if (e.names() != null) {
            writeVarint(out, e.names().size());
            for (byte[] name : e.names()) {
                writeBytes(out, name);
            }
        }
    }

    private static boolean checksumMatches(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(data, data.length - 4, 4).getInt();
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[count(in)];
        in.get(b);
        return b;
    }

    private static int count(ByteBuffer in) {
        long n = varint(in);
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n + " beyond the end of the cache");
        }
        return (int) n;
    }

    private static long varint(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 64 bits");
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeVarint(out, b.length);
        out.writeBytes(b);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
