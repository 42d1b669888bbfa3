package io.dormant.library.db;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 password verifier in PostgreSQL's form ({@code SCRAM-SHA-256$<iterations>:<salt>$
 * <StoredKey>:<ServerKey>}, RFC 5802 and 7677), which {@code ALTER ROLE ... PASSWORD} takes as it is.
 *
 * <p>The embedded server's password is 24 random bytes: the iterations of PBKDF2 slow down a guess
 * at a weak password and add nothing to a random one, but the client pays for them on every
 * connection, and every command connects once (4096 iterations cost a command about 0.2 s in a
 * fresh JVM). So the embedded role's verifier uses {@link #EMBEDDED_ITERATIONS}.
 */
final class ScramVerifier {

    static final int EMBEDDED_ITERATIONS = 16;
    private static final String PREFIX = "SCRAM-SHA-256$";

    private ScramVerifier() {
    }

    /** The verifier of an ASCII password (no SASLprep needed) with this salt and iteration count. */
    static String of(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder base64 = Base64.getEncoder();
            return PREFIX + iterations + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(storedKey) + ":"
                    + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has PBKDF2WithHmacSHA256 and HmacSHA256", e);
        }
    }

    /** The iteration count of a stored verifier, or -1 when it is not a SCRAM-SHA-256 one. */
    static int iterations(String verifier) {
        if (verifier == null || !verifier.startsWith(PREFIX)) {
            return -1;
        }
        int colon = verifier.indexOf(':', PREFIX.length());
        try {
            return colon < 0 ? -1 : Integer.parseInt(verifier.substring(PREFIX.length(), colon));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
