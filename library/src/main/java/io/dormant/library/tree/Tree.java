package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A directory: its own metadata and its entries sorted by name (unsigned bytes). The encoding is
 * canonical, so the same directory always gives the same bytes and the same object id, and a
 * subtree that did not change is shared between versions and images. See docs/tree-format.md.
 */
public record Tree(Metadata self, List<TreeEntry> entries) {
    public static final int VERSION = 1;
    /** Largest tree object {@link #decode} accepts, far above a million-file directory's. */
    public static final int MAX_ENCODED_BYTES = 256 * 1024 * 1024;
    static final int MAX_XATTRS = 4096;
    static final int MAX_XATTR_NAME = 255;
    static final int MAX_XATTR_VALUE = 64 * 1024;
    static final int MAX_TARGET = 64 * 1024;

    public Tree {
        List<TreeEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Names.ORDER.compare(a.name(), b.name()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Arrays.equals(sorted.get(i - 1).name(), sorted.get(i).name())) {
                throw new IllegalArgumentException("two entries named " + sorted.get(i).nameString());
            }
        }
        entries = Collections.unmodifiableList(sorted);
    }

    /** The entry named {@code name}, or null. */
    public TreeEntry get(byte[] name) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Names.ORDER.compare(entries.get(mid).name(), name);
            if (c == 0) {
                return entries.get(mid);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 64);
        out.write(VERSION);
        writeMeta(out, self);
        writeVarint(out, entries.size());
        for (TreeEntry e : entries) {
            writeBytes(out, e.name());
            out.write(e.type().code());
            switch (e.type()) {
                case FILE -> {
                    writeMeta(out, e.meta());
                    writeVarint(out, e.size());
                    out.writeBytes(e.child().toBytes());
                }
                case DIRECTORY -> out.writeBytes(e.child().toBytes());
                case SYMLINK -> {
                    writeMeta(out, e.meta());
                    writeBytes(out, e.target());
                }
                case HARDLINK -> writeBytes(out, e.target());
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    writeMeta(out, e.meta());
                    writeVarint(out, e.devMajor() & 0xffffffffL);
                    writeVarint(out, e.devMinor() & 0xffffffffL);
                }
                case FIFO, SOCKET -> writeMeta(out, e.meta());
            }
        }
        return out.toByteArray();
    }

    public ObjectId id() {
        return ObjectId.hash(encode());
    }

    /** Parses a tree object, refusing anything that is not exactly what {@link #encode} writes. */
    public static Tree decode(byte[] data, ObjectId id) throws TreeFormatException {
        return new TreeDecoder(data, id == null ? "tree" : "tree " + id.hex()).decode();
    }

    private static void writeMeta(ByteArrayOutputStream out, Metadata m) {
        writeVarint(out, m.mode());
        writeVarint(out, m.uid());
        writeVarint(out, m.gid());
        writeVarint(out, (m.mtimeSeconds() << 1) ^ (m.mtimeSeconds() >> 63));
        writeVarint(out, m.mtimeNanos());
        List<byte[][]> xattrs = new ArrayList<>(m.xattrs().size());
        for (Map.Entry<String, byte[]> x : m.xattrs().entrySet()) {
            xattrs.add(new byte[][] {x.getKey().getBytes(StandardCharsets.UTF_8), x.getValue()});
        }
        xattrs.sort((a, b) -> Names.ORDER.compare(a[0], b[0]));
        writeVarint(out, xattrs.size());
        for (byte[][] x : xattrs) {
            writeBytes(out, x[0]);
            writeBytes(out, x[1]);
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeVarint(out, b.length);
        out.writeBytes(b);
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
