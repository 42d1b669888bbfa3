package io.dormant.library.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The index of one published pack ({@code packs/<name>.idx}): which objects the pack holds and
 * where. It is mapped, not parsed, so opening a store with many packs costs no heap, and an id is
 * found through a 256-way fan-out and a binary search over the sorted ids (format in
 * docs/tree-format.md). The pack file itself is opened on the first read.
 */
final class PackIndex implements AutoCloseable {
    static final byte[] MAGIC = {'D', 'O', 'R', 'M', 'I', 'D', 'X', 0};
    static final int VERSION = 1;
    private static final int HEADER = 16;
    private static final int FANOUT = 256 * 4;
    private static final int ENTRY = ObjectId.LENGTH + 8 + 4;
    private static final int TRAILER = 8 + 32;

    private final String name;
    private final Path indexFile;
    private final Path packFile;
    private final ByteBuffer map;
    private final int count;
    private final int idsAt;
    private final int offsetsAt;
    private final int lengthsAt;
    private FileChannel pack;

    private PackIndex(String name, Path indexFile, Path packFile, ByteBuffer map, int count) {
        this.name = name;
        this.indexFile = indexFile;
        this.packFile = packFile;
        this.map = map;
        this.count = count;
        this.idsAt = HEADER + FANOUT;
        this.offsetsAt = idsAt + count * ObjectId.LENGTH;
        this.lengthsAt = offsetsAt + count * 8;
    }

    /**
     * Maps {@code <name>.idx} and checks its structure (magic, version, sizes, fan-out) and that
     * the pack has the size the index recorded; the checksum is left to {@link #verify()} (fsck).
     */
    static PackIndex load(Path indexFile) throws IOException {
        String file = indexFile.getFileName().toString();
        String name = file.substring(0, file.length() - ".idx".length());
        Path packFile = indexFile.resolveSibling(name + ".pack");
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + FANOUT + TRAILER || size > Integer.MAX_VALUE) {
                throw damaged(indexFile, "it is " + size + " bytes long");
            }
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        map.order(ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        map.get(0, magic);
        if (!Arrays.equals(magic, MAGIC) || map.getInt(8) != VERSION) {
            throw damaged(indexFile, "it does not start with a version " + VERSION + " pack index header");
        }
        int count = map.getInt(12);
        if (count < 0 || (long) HEADER + FANOUT + (long) count * ENTRY + TRAILER != map.capacity()) {
            throw damaged(indexFile, "its length does not match its " + count + " entries");
        }
        PackIndex index = new PackIndex(name, indexFile, packFile, map, count);
        if (index.fanout(255) != count) {
            throw damaged(indexFile, "its fan-out table does not add up to its " + count + " entries");
        }
        long recorded = map.getLong(map.capacity() - TRAILER);
        long actual = Files.size(packFile);
        if (actual != recorded) {
            throw damaged(indexFile, "its pack " + packFile.getFileName() + " is " + actual + " bytes, the index says " + recorded);
        }
        return index;
    }

    /**
     * Writes the index of a finished pack to {@code target} (a temp name; the caller fsyncs and
     * renames it). {@code entries} maps each id to its offset and length in the pack.
     */
    static void write(Path target, Map<ObjectId, OpenPack.Slot> entries, long packSize) throws IOException {
        ObjectId[] ids = entries.keySet().toArray(new ObjectId[0]);
        Arrays.sort(ids);
        int n = ids.length;
        ByteBuffer out = ByteBuffer.allocate(HEADER + FANOUT + n * ENTRY + TRAILER).order(ByteOrder.BIG_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(n);
        int[] fanout = new int[256];
        for (ObjectId id : ids) {
            fanout[id.raw()[0] & 0xff]++;
        }
        for (int i = 0, sum = 0; i < 256; i++) {
            sum += fanout[i];
            out.putInt(sum);
        }
        for (ObjectId id : ids) {
            out.put(id.raw());
        }
        for (ObjectId id : ids) {
            out.putLong(entries.get(id).offset());
        }
        for (ObjectId id : ids) {
            out.putInt(entries.get(id).length());
        }
        out.putLong(packSize);
        MessageDigest sha = ObjectId.sha256();
        sha.update(out.array(), 0, out.position());
        out.put(sha.digest());
        out.flip();
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (out.hasRemaining()) {
                ch.write(out);
            }
        }
    }

    String name() {
        return name;
    }

    Path indexFile() {
        return indexFile;
    }

    Path packFile() {
        return packFile;
    }

    int count() {
        return count;
    }

    /** The position of {@code id} in this index, or -1. */
    int find(ObjectId id) {
        byte[] key = id.raw();
        ByteBuffer k = ByteBuffer.wrap(key);
        long[] words = {k.getLong(0), k.getLong(8), k.getLong(16), k.getLong(24)};
        int first = key[0] & 0xff;
        int lo = first == 0 ? 0 : fanout(first - 1);
        int hi = fanout(first) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareAt(mid, words);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    ObjectId id(int i) {
        byte[] b = new byte[ObjectId.LENGTH];
        map.get(idsAt + i * ObjectId.LENGTH, b);
        return ObjectId.of(b);
    }

    long offset(int i) {
        return map.getLong(offsetsAt + i * 8);
    }

    int length(int i) {
        return map.getInt(lengthsAt + i * 4);
    }

    /** Recomputes the index's checksum; throws naming the index when it does not match. */
    void verify() throws IOException {
        int body = map.capacity() - 32;
        MessageDigest sha = ObjectId.sha256();
        sha.update(map.duplicate().position(0).limit(body));
        byte[] recorded = new byte[32];
        map.get(body, recorded);
        if (!MessageDigest.isEqual(sha.digest(), recorded)) {
            throw damaged(indexFile, "its checksum does not match its content");
        }
        for (int i = 1; i < count; i++) {
            if (id(i - 1).compareTo(id(i)) >= 0) {
                throw damaged(indexFile, "its ids are not in order at entry " + i);
            }
        }
    }

    /**
     * The pack's bytes, opened on first use and kept open (reads are positional, so shared);
     * reopened when an interrupted reader closed it.
     */
    synchronized FileChannel pack() throws IOException {
        if (pack == null || !pack.isOpen()) {
            pack = FileChannel.open(packFile, StandardOpenOption.READ);
        }
        return pack;
    }

    @Override
    public synchronized void close() throws IOException {
        if (pack != null) {
            pack.close();
            pack = null;
        }
    }

    private int fanout(int i) {
        return map.getInt(HEADER + i * 4);
    }

    private int compareAt(int i, long[] words) {
        int at = idsAt + i * ObjectId.LENGTH;
        for (int k = 0; k < 4; k++) {
            int c = Long.compareUnsigned(map.getLong(at + k * 8), words[k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static IOException damaged(Path indexFile, String why) {
        return new IOException("pack index " + indexFile + " is damaged: " + why
                + "; its objects are unreadable until it is restored ('dormant store fsck' lists what is affected)");
    }
}
