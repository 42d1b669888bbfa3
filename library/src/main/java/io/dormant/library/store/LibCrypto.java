package io.dormant.library.store;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The OpenSSL digest calls {@link Sha256} uses. */
interface LibCrypto extends Library {
    LibCrypto INSTANCE = load();

    Pointer EVP_MD_CTX_new();

    void EVP_MD_CTX_free(Pointer ctx);

    Pointer EVP_sha256();

    int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

    private static LibCrypto load() {
        if (Boolean.getBoolean("dormant.jdkSha256")) {
            return null;
        }
        for (String name : new String[] {"libcrypto.so.3", "crypto"}) {
            try {
                return Native.load(name, LibCrypto.class);
            } catch (UnsatisfiedLinkError e) {
                // try the next name; without libcrypto the JDK's digest is used
            }
        }
        return null;
    }

    static boolean available() {
        return INSTANCE != null;
    }
}
