package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Strict parser of the tree encoding. Every declared length is checked against the bytes that are
 * left before anything is allocated, so a hostile tree fails with a message, never with OOM.
 */
final class TreeDecoder {
    private final byte[] data;
    private final String what;
    private int pos;

    TreeDecoder(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    Tree decode() throws TreeFormatException {
        if (data.length > Tree.MAX_ENCODED_BYTES) {
            throw fail("is " + data.length + " bytes, more than the limit of " + Tree.MAX_ENCODED_BYTES);
        }
        int version = u8();
        if (version != Tree.VERSION) {
            throw fail("has format version " + version + ", this Dormant reads version " + Tree.VERSION);
        }
        Metadata self = meta();
        long count = varint();
        // The smallest entry takes 3 bytes (name length, name, type), which bounds the list.
        if (count > (data.length - pos) / 3) {
            throw fail("declares " + count + " entries, more than its " + (data.length - pos) + " remaining bytes can hold");
        }
        List<TreeEntry> entries = new ArrayList<>((int) count);
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            int at = pos;
            byte[] name = bytes(Names.MAX_NAME, "entry name");
            String problem = Names.problem(name);
            if (problem != null) {
                throw fail("has an invalid entry name at offset " + at + ": " + problem);
            }
            if (previous != null && Names.ORDER.compare(previous, name) >= 0) {
                throw fail("is not sorted or has a duplicate at entry '" + new String(name, StandardCharsets.UTF_8) + "'");
            }
            previous = name;
            entries.add(entry(name));
        }
        if (pos != data.length) {
            throw fail("has " + (data.length - pos) + " bytes after its last entry");
        }
        return new Tree(self, entries);
    }

    private TreeEntry entry(byte[] name) throws TreeFormatException {
        int code = u8();
        EntryType type = EntryType.fromCode(code);
        if (type == null) {
            throw fail("has unknown entry type " + code + " for '" + new String(name, StandardCharsets.UTF_8) + "'");
        }
        try {
            return switch (type) {
                case FILE -> {
                    Metadata m = meta();
                    long size = varint();
                    yield TreeEntry.file(name, m, size, id());
                }
                case DIRECTORY -> TreeEntry.directory(name, id());
                case SYMLINK -> {
                    Metadata m = meta();
                    yield TreeEntry.symlink(name, m, bytes(Tree.MAX_TARGET, "symlink target"));
                }
                case HARDLINK -> TreeEntry.hardlink(name, bytes(Tree.MAX_TARGET, "hardlink target"));
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    Metadata m = meta();
                    yield TreeEntry.special(name, type, m, (int) u32("major"), (int) u32("minor"));
                }
                case FIFO, SOCKET -> TreeEntry.special(name, type, meta(), 0, 0);
            };
        } catch (IllegalArgumentException e) {
            throw fail("has an invalid entry '" + new String(name, StandardCharsets.UTF_8) + "': " + e.getMessage());
        }
    }

    private Metadata meta() throws TreeFormatException {
        long mode = varint();
        if (mode > 07777) {
            throw fail("has mode " + Long.toOctalString(mode) + " beyond 07777 at offset " + pos);
        }
        long uid = u32("uid");
        long gid = u32("gid");
        long zz = varint();
        long seconds = (zz >>> 1) ^ -(zz & 1);
        long nanos = varint();
        if (nanos > 999_999_999) {
            throw fail("has mtime nanoseconds " + nanos + " at offset " + pos);
        }
        long count = varint();
        if (count > Tree.MAX_XATTRS) {
            throw fail("has " + count + " xattrs on one entry, more than the limit of " + Tree.MAX_XATTRS);
        }
        TreeMap<String, byte[]> xattrs = new TreeMap<>();
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            byte[] name = bytes(Tree.MAX_XATTR_NAME, "xattr name");
            if (name.length == 0 || (previous != null && Names.ORDER.compare(previous, name) >= 0)) {
                throw fail("has an empty, unsorted or duplicate xattr name at offset " + pos);
            }
            previous = name;
            xattrs.put(new String(name, StandardCharsets.UTF_8), bytes(Tree.MAX_XATTR_VALUE, "xattr value"));
        }
        return new Metadata((int) mode, uid, gid, seconds, (int) nanos, xattrs);
    }

    private ObjectId id() throws TreeFormatException {
        need(ObjectId.LENGTH, "object id");
        byte[] b = Arrays.copyOfRange(data, pos, pos + ObjectId.LENGTH);
        pos += ObjectId.LENGTH;
        return ObjectId.of(b);
    }

    private byte[] bytes(int limit, String field) throws TreeFormatException {
        long len = varint();
        if (len > limit) {
            throw fail("has a " + field + " of " + len + " bytes at offset " + pos + ", more than the limit of " + limit);
        }
        need((int) len, field);
        byte[] b = Arrays.copyOfRange(data, pos, pos + (int) len);
        pos += (int) len;
        return b;
    }

    private long u32(String field) throws TreeFormatException {
        long v = varint();
        if (v > 0xffffffffL) {
            throw fail("has " + field + " " + v + " beyond 32 bits at offset " + pos);
        }
        return v;
    }

    private int u8() throws TreeFormatException {
        need(1, "byte");
        return data[pos++] & 0xff;
    }

    private long varint() throws TreeFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw fail("has a number longer than 10 bytes at offset " + pos);
    }

    private void need(int n, String field) throws TreeFormatException {
        if (n < 0 || data.length - pos < n) {
            throw fail("ends at offset " + data.length + " in the middle of a " + field + " (needs " + n + " bytes at " + pos + ")");
        }
    }

    private TreeFormatException fail(String problem) {
        return new TreeFormatException(what + " " + problem + "; the object is corrupt, run fsck on the store");
    }
}
