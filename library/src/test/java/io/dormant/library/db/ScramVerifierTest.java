package io.dormant.library.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {

    /** RFC 7677's example: password "pencil", this salt, 4096 iterations; its ServerSignature checks the ServerKey. */
    @Test
    void matchesTheRfcExample() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String verifier = ScramVerifier.of("pencil", salt, 4096);
        String[] keys = verifier.substring(verifier.indexOf('$', "SCRAM-SHA-256$".length()) + 1).split(":");
        byte[] serverKey = Base64.getDecoder().decode(keys[1]);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(serverKey, "HmacSHA256"));
        assertThat(Base64.getEncoder().encodeToString(mac.doFinal(authMessage.getBytes())))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(verifier).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
    }

    @Test
    void readsTheIterationCount() {
        assertThat(ScramVerifier.iterations("SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5")).isEqualTo(4096);
        assertThat(ScramVerifier.iterations("md5abcdef")).isEqualTo(-1);
        assertThat(ScramVerifier.iterations(null)).isEqualTo(-1);
        assertThat(ScramVerifier.iterations("SCRAM-SHA-256$x:y")).isEqualTo(-1);
    }
}
