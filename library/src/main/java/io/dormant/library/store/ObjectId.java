package io.dormant.library.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The name of an object in the content store: the SHA-256 of its bytes. */
public final class ObjectId implements Comparable<ObjectId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ObjectId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ObjectId of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("an object id is " + LENGTH + " bytes, got " + digest.length);
        }
        return new ObjectId(digest.clone());
    }

    /** Parses 64 lower- or upper-case hex digits. */
    public static ObjectId parse(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("an object id is 64 hex digits, got '" + hex + "'");
        }
        try {
            return new ObjectId(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an object id is 64 hex digits, got '" + hex + "'", e);
        }
    }

    /** One read buffer per thread: allocating (and zeroing) a direct megabyte per file cost more than hashing small files. */
    private static final ThreadLocal<java.nio.ByteBuffer> HASH_BUFFERS =
            ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocateDirect(1 << 20));

    /** The id of these bytes. */
    public static ObjectId hash(byte[] data) {
        MessageDigest md = sha256();
        return new ObjectId(md.digest(data));
    }

    static ObjectId fromDigest(MessageDigest md) {
        return new ObjectId(md.digest());
    }

    /**
     * The SHA-256 of a host file's content, through the same digest as the store (libcrypto when
     * it loads: the JDK's own digest runs without its CPU intrinsics in short-lived commands).
     */
    public static ObjectId hashFile(java.nio.file.Path file) throws java.io.IOException {
        java.nio.ByteBuffer buf = HASH_BUFFERS.get();
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file); Sha256 sha = Sha256.create()) {
            while (in.read(buf.clear()) >= 0) {
                sha.update(buf.flip());
            }
            return of(sha.digest());
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The 32 bytes themselves, for the store's own indexes; never change them. */
    byte[] raw() {
        return bytes;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes without copying them. */
    public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
        out.write(bytes);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(ObjectId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
