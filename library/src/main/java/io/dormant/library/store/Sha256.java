package io.dormant.library.store;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * SHA-256 over direct buffers. Hashing is most of the CPU an import spends, and OpenSSL's
 * libcrypto is about 1.7 times as fast as the JDK's on CPUs without SHA instructions, so it is
 * used when it can be loaded; the JDK's digest is the fallback. Both compute the same function.
 */
abstract class Sha256 implements AutoCloseable {
    private static final boolean NATIVE = LibCrypto.available();

    static Sha256 create() {
        return NATIVE ? new Native256() : new Jdk256();
    }

    /** Hashes the buffer's remaining bytes without moving its position. */
    abstract void update(ByteBuffer direct);

    abstract byte[] digest();

    @Override
    public void close() {
    }

    static boolean isNative() {
        return NATIVE;
    }

    private static final class Jdk256 extends Sha256 {
        private final MessageDigest md = ObjectId.sha256();

        @Override
        void update(ByteBuffer direct) {
            md.update(direct.duplicate());
        }

        @Override
        byte[] digest() {
            return md.digest();
        }
    }

    private static final class Native256 extends Sha256 {
        private Pointer ctx;

        Native256() {
            ctx = LibCrypto.INSTANCE.EVP_MD_CTX_new();
            if (ctx == null || LibCrypto.INSTANCE.EVP_DigestInit_ex(ctx, LibCrypto.INSTANCE.EVP_sha256(), null) != 1) {
                throw new IllegalStateException("libcrypto could not start a SHA-256 digest");
            }
        }

        @Override
        void update(ByteBuffer direct) {
            Pointer p = Native.getDirectBufferPointer(direct).share(direct.position());
            if (LibCrypto.INSTANCE.EVP_DigestUpdate(ctx, p, direct.remaining()) != 1) {
                throw new IllegalStateException("libcrypto SHA-256 update failed");
            }
        }

        @Override
        byte[] digest() {
            byte[] out = new byte[32];
            if (LibCrypto.INSTANCE.EVP_DigestFinal_ex(ctx, out, null) != 1) {
                throw new IllegalStateException("libcrypto SHA-256 final failed");
            }
            return out;
        }

        @Override
        public void close() {
            if (ctx != null) {
                LibCrypto.INSTANCE.EVP_MD_CTX_free(ctx);
                ctx = null;
            }
        }
    }
}
