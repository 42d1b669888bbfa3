package io.dormant.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Format detection over real package files (see formats/README.md for how they were made). */
class PackageFormatTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"hello.noarch.rpm, RPM", "hello.msi, MSI"})
    void detectsRealPackageFiles(String fixture, PackageFormat expected) throws IOException {
        byte[] signature = head(fixture, PackageFormat.SIGNATURE_LENGTH);

        assertThat(PackageFormat.detect(signature)).isEqualTo(expected);
        assertThat(Arrays.stream(PackageFormat.values()).filter(f -> f.matches(signature))).containsExactly(expected);
    }

    @Test
    void needsOnlyEachFormatsOwnMagicWhenTheFileIsShort() {
        assertThat(PackageFormat.detect(new byte[] {(byte) 0xED, (byte) 0xAB, (byte) 0xEE, (byte) 0xDB}))
                .isEqualTo(PackageFormat.RPM);
    }

    @Test
    void anArArchiveThatIsNotADebIsNotADeb() {
        byte[] staticLibrary = "!<arch>\n/               0           0     0     0       4         `\n"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(PackageFormat.DEB.matches(staticLibrary)).isFalse();
        assertThatThrownBy(() -> PackageFormat.detect(staticLibrary))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a deb, rpm or msi package: it starts with 21 3c 61 72 63 68 3e 0a 2f");
    }

    @Test
    void namesTheBytesItFoundWhenNothingMatches() {
        byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0x14, 0x00};

        assertThatThrownBy(() -> PackageFormat.detect(zip))
                .hasMessage("not a deb, rpm or msi package: it starts with 50 4b 03 04 14 00 (6 bytes read);"
                        + " a deb starts with \"!<arch>\\ndebian-binary\", an rpm with ed ab ee db,"
                        + " an msi with d0 cf 11 e0 a1 b1 1a e1");
    }

    @Test
    void saysSoWhenTheFileIsEmpty() {
        assertThatThrownBy(() -> PackageFormat.detect(new byte[0]))
                .hasMessage("not a deb, rpm or msi package: the file is empty");
    }

    @Test
    void aTruncatedMagicMatchesNothing() throws IOException {
        byte[] truncatedMsi = head("hello.msi", 7);

        assertThat(PackageFormat.MSI.matches(truncatedMsi)).isFalse();
        assertThatThrownBy(() -> PackageFormat.detect(truncatedMsi)).hasMessageContaining("(7 bytes read)");
    }

    private static byte[] head(String fixture, int length) throws IOException {
        try (InputStream in = PackageFormatTest.class.getResourceAsStream("formats/" + fixture)) {
            assertThat(in).as("fixture formats/%s", fixture).isNotNull();
            return in.readNBytes(length);
        }
    }
}
