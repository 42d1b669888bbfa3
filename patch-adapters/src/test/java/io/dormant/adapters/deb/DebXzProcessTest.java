package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The xz tool as a decoder must accept and refuse exactly what xz-java does, with the same kind of error. */
class DebXzProcessTest {

    @BeforeEach
    void needsTheXzTool() {
        assumeTrue(DebXzProcess.worthIt(Long.MAX_VALUE), "no xz tool on the PATH");
    }

    @Test
    void decodesWhatXzJavaDecodes() throws IOException {
        byte[] data = noise(2 << 20);

        try (InputStream in = DebXzProcess.open("big.deb", "data.tar.xz", new ByteArrayInputStream(DebFixture.xz(data)))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void aTruncatedMemberEndsInEndOfFile() throws IOException {
        byte[] xz = DebFixture.xz(noise(1 << 20));

        try (InputStream in = DebXzProcess.open("cut.deb", "data.tar.xz", new ByteArrayInputStream(Arrays.copyOf(xz, xz.length / 2)))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class).hasMessageContaining("truncated xz data");
        }
    }

    @Test
    void corruptDataFailsWithXzsReason() throws IOException {
        byte[] xz = DebFixture.xz(noise(1 << 20));
        for (int i = 24; i < 64; i++) {
            xz[i] ^= 0x5a;
        }

        try (InputStream in = DebXzProcess.open("bad.deb", "data.tar.xz", new ByteArrayInputStream(xz))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class)
                    .hasMessageContaining("corrupt");
        }
    }

    @Test
    void contentThatIsNotXzIsRefusedBeforeTheToolStarts() {
        byte[] gzip = "\u001f\u008b not xz".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> DebXzProcess.open("gz.deb", "data.tar.xz", new ByteArrayInputStream(gzip)))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("gz.deb(data.tar.xz): corrupt xz data at its start: the content is not xz data, as the name's"
                        + " extension '.xz' says");
    }

    /** Bytes that xz cannot shrink much, so that the compressed member is big too. */
    static byte[] noise(int size) {
        byte[] out = new byte[size];
        new Random(42).nextBytes(out);
        return out;
    }
}
