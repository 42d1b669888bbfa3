package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.tar.LimitExceededException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile corpus: broken packages whose file names carry their fault, each with the exact
 * error it must raise. The files are built by {@link DebFixture} into a temporary directory, so the
 * corpus is visible on disk while the tests run and needs no binary fixtures in the repository.
 */
class DebHostileCorpusTest {

    @TempDir
    static Path corpus;

    @BeforeAll
    static void buildCorpus() throws IOException {
        write("good.deb", DebFixture.good().bytes());
        write("not-an-ar.deb", "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1));
        byte[] good = DebFixture.good().bytes();
        write("truncated-member.deb", Arrays.copyOf(good, good.length - 100));
        write("wrong-debian-binary.deb", DebFixture.good().replace("debian-binary", "3.0\n".getBytes(StandardCharsets.US_ASCII)).bytes());
        write("missing-control.deb", DebFixture.good().remove("control.tar.gz").bytes());
        write("huge-member-size.deb", new DebFixture().member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII))
                .member("control.tar.gz", DebFixture.gzip(DebFixture.tar(DebFixture.controlFiles(DebFixture.CONTROL))))
                .bytes(9_999_999_999L));
        byte[] dataXz = DebFixture.xz(DebFixture.tar(DebFixture.dataFiles()));
        write("truncated-xz-data.deb", DebFixture.good().replace("data.tar.xz", Arrays.copyOf(dataXz, dataXz.length - 20)).bytes());
        write("bad-xz-data.deb", DebFixture.good().replace("data.tar.xz", corrupt(DebFixture.xz(DebFixture.tar(DebFixture.dataFiles())))).bytes());
        Map<String, String> traversal = new LinkedHashMap<>(DebFixture.dataFiles());
        traversal.put("./usr/../../etc/cron.d/evil", "* * * * * root sh\n");
        write("traversal-in-data.deb", DebFixture.good().replace("data.tar.xz", DebFixture.xz(DebFixture.tar(traversal))).bytes());
        Map<String, String> throughSymlink = new LinkedHashMap<>(DebFixture.dataFiles());
        throughSymlink.put("./usr/lib", "->/etc");
        throughSymlink.put("./usr/lib/passwd", "root::0:0::/:/bin/sh\n");
        write("symlink-escape-in-data.deb", DebFixture.good().replace("data.tar.xz", DebFixture.xz(DebFixture.tar(throughSymlink))).bytes());
        write("control-with-bad-version.deb", DebFixture.good().replace("control.tar.gz", DebFixture.gzip(DebFixture.tar(
                DebFixture.controlFiles(DebFixture.CONTROL.replace("Version: 2.10-3", "Version: 1:"))))).bytes());
        write("data-before-control.deb", new DebFixture().member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII))
                .member("data.tar.xz", DebFixture.xz(DebFixture.tar(DebFixture.dataFiles())))
                .member("control.tar.gz", DebFixture.gzip(DebFixture.tar(DebFixture.controlFiles(DebFixture.CONTROL)))).bytes());
        write("unknown-compression.deb", new DebFixture().member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII))
                .member("control.tar.bz2", new byte[] {'B', 'Z', 'h'}).bytes());
        write("mislabelled-compression.deb", DebFixture.good().replace("data.tar.xz", DebFixture.gzip(DebFixture.tar(DebFixture.dataFiles()))).bytes());
        // An xz header that asks for a 1.5 GiB dictionary: small (xz-java decodes it) and big (the xz tool does).
        write("xz-asks-1.5-gib.deb", DebFixture.good().replace("data.tar.xz", hugeDictionary(dataXz)).bytes());
        Map<String, String> big = new LinkedHashMap<>(DebFixture.dataFiles());
        big.put("./usr/share/noise", new java.util.Random(7).ints(400_000, 33, 127)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        write("big-xz-asks-1.5-gib.deb", DebFixture.good().replace("data.tar.xz",
                hugeDictionary(DebFixture.xz(DebFixture.tar(big)))).bytes());
        write("control-bomb.deb", DebFixture.good().replace("control.tar.gz", DebFixture.gzip(DebFixture.tar(
                Map.of("./control", DebFixture.CONTROL, "./md5sums", "0".repeat(300_000))))).bytes());
    }

    static Stream<Arguments> corpusFiles() {
        return Stream.of(
                Arguments.of("not-an-ar.deb", DebFormatException.class, "not-an-ar.deb at offset 0: not a Debian package:"
                        + " it does not start with the ar magic \"!<arch>\\n\" (it starts with \"PK\\x03\\x04 thi\")"),
                Arguments.of("truncated-member.deb", DebFormatException.class, "truncated-member.deb(data.tar.xz) at offset %HEADER%:"
                        + " the member declares %DATA% bytes, but the file ends at offset %END%, 100 bytes before its end;"
                        + " it is truncated or its size is corrupt"),
                Arguments.of("wrong-debian-binary.deb", DebFormatException.class, "wrong-debian-binary.deb(debian-binary) at offset 68:"
                        + " format version 3.0 is not supported; dpkg and Dormant read format 2.x"),
                Arguments.of("missing-control.deb", DebFormatException.class, "missing-control.deb(data.tar.xz) at offset 72:"
                        + " premature member before 'control.tar'; a deb holds debian-binary, control.tar, data.tar in this order,"
                        + " and optional members named '_*'"),
                Arguments.of("data-before-control.deb", DebFormatException.class, "data-before-control.deb(data.tar.xz) at offset 72:"
                        + " premature member before 'control.tar'; a deb holds debian-binary, control.tar, data.tar in this order,"
                        + " and optional members named '_*'"),
                Arguments.of("huge-member-size.deb", LimitExceededException.class, "entry 'huge-member-size.deb(control.tar.gz)'"
                        + " at offset 72: member size of 9999999999 bytes is more than the limit of 67108864 bytes"),
                Arguments.of("unknown-compression.deb", DebFormatException.class, "unknown-compression.deb(control.tar.bz2) at offset 72:"
                        + " control members may be plain, .gz, .xz or .zst; dpkg refuses bzip2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void refusesWhenOpened(String fixture, Class<? extends Exception> type, String message) throws IOException {
        Path file = corpus.resolve(fixture);
        // The truncated fixture's offsets depend on how well this JDK's gzip and xz compress.
        long goodSize = Files.size(corpus.resolve("good.deb"));
        long dataSize = DebFixture.xz(DebFixture.tar(DebFixture.dataFiles())).length;
        String expected = message.replace("%END%", String.valueOf(Files.size(file)))
                .replace("%DATA%", String.valueOf(dataSize))
                .replace("%HEADER%", String.valueOf(goodSize - (dataSize & 1) - dataSize - 60));

        assertThatThrownBy(() -> DebArchiveReader.open(file)).isInstanceOf(type).hasMessage(expected);
    }

    @Test
    void badXzDataFailsWhenTheDataIsStreamedNamingTheMember() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("bad-xz-data.deb"));

        assertThatThrownBy(() -> reader.readData((entry, content) -> content.transferTo(java.io.OutputStream.nullOutputStream())))
                .isInstanceOf(DebFormatException.class)
                .hasMessageStartingWith("bad-xz-data.deb(data.tar.xz): ")
                .hasMessageContaining("corrupt");
    }

    @Test
    void traversalInDataIsRefusedWhenItsEntryIsResolved() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("traversal-in-data.deb"));

        assertThatThrownBy(() -> reader.readData((entry, content) -> { }))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("traversal-in-data.deb(data.tar.xz): entry './usr/../../etc/cron.d/evil' at offset 4096:"
                        + " refused: '..' in the name could leave the image");
    }

    @Test
    void writingThroughASymlinkEntryIsRefused() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("symlink-escape-in-data.deb"));

        assertThatThrownBy(() -> reader.readData((entry, content) -> { }))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("symlink-escape-in-data.deb(data.tar.xz): entry './usr/lib/passwd' at offset 4608:"
                        + " refused: it would be written through the symlink entry 'usr/lib' (-> /etc)");
    }

    @Test
    void badXzDataFailsWhenTheDataIsDecompressedAheadNamingTheMember() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("bad-xz-data.deb"));

        assertThatThrownBy(() -> reader.extractDataTar(java.io.OutputStream.nullOutputStream(), 1L << 30))
                .isInstanceOf(DebFormatException.class)
                .hasMessageStartingWith("bad-xz-data.deb(data.tar.xz): corrupt xz data after 0 bytes of the uncompressed tar: ");
    }

    @Test
    void aTruncatedDataMemberFailsWhenItIsDecompressedAhead() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("truncated-xz-data.deb"));

        assertThatThrownBy(() -> reader.extractDataTar(java.io.OutputStream.nullOutputStream(), 1L << 30))
                .isInstanceOf(DebFormatException.class)
                .hasMessageStartingWith("truncated-xz-data.deb(data.tar.xz): the xz data ends after ")
                .hasMessageContaining("it is truncated");
    }

    @Test
    void aDataArchiveThatInflatesBeyondTheLimitIsRefused() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("good.deb"));

        assertThatThrownBy(() -> reader.extractDataTar(java.io.OutputStream.nullOutputStream(), 1000))
                .isInstanceOf(DebFormatException.class)
                .hasMessageMatching("good\\.deb\\(data\\.tar\\.xz\\) at offset \\d+: decompresses to more than 1000 bytes; refusing it");
    }

    @Test
    void hostileEntriesAreRefusedAlsoInADataArchiveDecompressedAhead() throws IOException {
        DebArchiveReader traversal = DebArchiveReader.open(corpus.resolve("traversal-in-data.deb"));
        DebArchiveReader throughSymlink = DebArchiveReader.open(corpus.resolve("symlink-escape-in-data.deb"));

        assertThatThrownBy(() -> traversal.readData(decompressed(traversal), (entry, content) -> { }))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("traversal-in-data.deb(data.tar.xz): entry './usr/../../etc/cron.d/evil' at offset 4096:"
                        + " refused: '..' in the name could leave the image");
        assertThatThrownBy(() -> throughSymlink.readData(decompressed(throughSymlink), (entry, content) -> { }))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("symlink-escape-in-data.deb(data.tar.xz): entry './usr/lib/passwd' at offset 4608:"
                        + " refused: it would be written through the symlink entry 'usr/lib' (-> /etc)");
    }

    private static java.io.InputStream decompressed(DebArchiveReader reader) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        reader.extractDataTar(out, 1L << 30);
        return new java.io.ByteArrayInputStream(out.toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xz-asks-1.5-gib.deb", "big-xz-asks-1.5-gib.deb"})
    void anXzHeaderAskingForGigabytesIsRefusedBeforeTheyAreAllocated(String fixture) throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve(fixture));

        assertThatThrownBy(() -> reader.extractDataTar(java.io.OutputStream.nullOutputStream(), 1L << 30))
                .isInstanceOf(DebFormatException.class)
                .hasMessageStartingWith(fixture + "(data.tar.xz)")
                .hasMessageContaining("memory");
    }

    @Test
    void controlWithBadVersionNamesTheFieldAndTheProblem() {
        assertThatThrownBy(() -> DebPackageReader.read(corpus.resolve("control-with-bad-version.deb")))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("control-with-bad-version.deb(control.tar.gz): entry 'control': field 'Version':"
                        + " version '1:' has bad syntax: nothing after colon in version number");
    }

    @Test
    void aMemberWhoseContentIsNotWhatItsNameSaysIsRefused() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("mislabelled-compression.deb"));

        assertThatThrownBy(() -> reader.readData((entry, content) -> { }))
                .isInstanceOf(DebFormatException.class)
                .hasMessage("mislabelled-compression.deb(data.tar.xz): corrupt xz data at its start:"
                        + " the content is not xz data, as the name's extension '.xz' says");
    }

    @Test
    void aControlFileOverTheLimitIsRefusedBeforeItIsRead() {
        DebLimits small = DebLimits.DEFAULT.withMaxControlSize(100_000);

        assertThatThrownBy(() -> DebPackageReader.read(corpus.resolve("control-bomb.deb"), small))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageEndingWith(": declared size of 300000 bytes is more than the limit of 100000 bytes")
                .hasMessageContaining("entry 'control-bomb.deb(control.tar.gz): entry './md5sums'' at offset");
    }

    @Test
    void theGoodFixtureReads() throws IOException {
        DebArchiveReader reader = DebArchiveReader.open(corpus.resolve("good.deb"));
        StringBuilder seen = new StringBuilder();
        reader.readData((entry, content) -> seen.append(entry.type()).append(' ').append(entry.path()).append(' ')
                .append(new String(content.readAllBytes(), StandardCharsets.UTF_8).strip()).append('\n'));

        assertThat(reader.formatVersion()).isEqualTo("2.0");
        assertThat(seen.toString()).isEqualTo("""
                DIRECTORY \s
                DIRECTORY etc\s
                FILE etc/hello.conf greeting=hi
                DIRECTORY usr\s
                DIRECTORY usr/bin\s
                FILE usr/bin/hello #!/bin/sh
                echo hello
                """);
    }

    private static void write(String name, byte[] bytes) throws IOException {
        Files.write(corpus.resolve(name), bytes);
    }

    /** The first block's LZMA2 dictionary set to 1.5 GiB (property 37), its header CRC32 fixed. */
    private static byte[] hugeDictionary(byte[] xz) {
        byte[] out = xz.clone();
        int block = 12;
        int size = ((out[block] & 0xff) + 1) * 4;
        for (int i = block + 2; i < block + size - 6; i++) {
            if (out[i] == 0x21 && out[i + 1] == 0x01) {
                out[i + 2] = 37;
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(out, block, size - 4);
                long value = crc.getValue();
                for (int k = 0; k < 4; k++) {
                    out[block + size - 4 + k] = (byte) (value >>> (8 * k));
                }
                return out;
            }
        }
        throw new IllegalStateException("no LZMA2 filter in the first block header");
    }

    private static byte[] corrupt(byte[] xz) {
        byte[] out = xz.clone();
        for (int i = 24; i < Math.min(out.length - 16, 64); i++) {
            out[i] ^= 0x5a;
        }
        return out;
    }
}
