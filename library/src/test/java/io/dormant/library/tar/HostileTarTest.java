package io.dormant.library.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.tar.EntryPathException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile tar corpus: each archive carries its fault in its name, each must fail with exactly
 * its error, and none may write anything outside the store.
 */
class HostileTarTest {
    @TempDir
    Path work;
    Path corpus;
    ContentStore store;

    @BeforeEach
    void setUp() throws IOException {
        corpus = Files.createDirectories(work.resolve("corpus"));
        store = ContentStore.open(work.resolve("store"));
    }

    @Test
    void traversalDotDot() throws IOException {
        Path tar = fixture("traversal-dotdot.tar", new RawTar().file("ok", "fine").file("../evil", "x").end());
        assertFails(tar, "entry '../evil' at offset 1024: refused: '..' in the name could leave the image", Problem.DOT_DOT);
    }

    @Test
    void traversalDotDotInTheMiddle() throws IOException {
        Path tar = fixture("traversal-dotdot-middle.tar", new RawTar().file("a/../../evil", "x").end());
        assertFails(tar, "entry 'a/../../evil' at offset 0: refused: '..' in the name could leave the image", Problem.DOT_DOT);
    }

    @Test
    void absoluteName() throws IOException {
        Path tar = fixture("absolute-name.tar", new RawTar().file("/etc/x", "x").end());
        assertFails(tar, "entry '/etc/x' at offset 0: refused: absolute name '/etc/x'; image archives hold relative names",
                Problem.ABSOLUTE);
    }

    @Test
    void symlinkThenFile() throws IOException {
        Path tar = fixture("symlink-then-file.tar", new RawTar().symlink("a", "/etc").file("a/passwd", "root::0:0").end());
        assertFails(tar, "entry 'a/passwd' at offset 512: refused: it would be written through the symlink entry 'a' (-> /etc)",
                Problem.THROUGH_SYMLINK);
    }

    @Test
    void symlinkThenFileWithDotSlash() throws IOException {
        Path tar = fixture("symlink-then-file-dotslash.tar",
                new RawTar().dir("./").dir("./x/").symlink("./x/a", "../../..").file("./x/a/b", "x").end());
        assertFails(tar, "entry './x/a/b' at offset 1536: refused: it would be written through the symlink entry 'x/a' (-> ../../..)",
                Problem.THROUGH_SYMLINK);
    }

    @Test
    void hardlinkOutside() throws IOException {
        Path tar = fixture("hardlink-outside.tar", new RawTar().hardlink("shadow", "../../etc/shadow").end());
        assertFails(tar, "entry 'shadow' at offset 0: refused: hardlink to '../../etc/shadow': '..' in the name could leave the image",
                Problem.DOT_DOT);
    }

    @Test
    void hardlinkAbsolute() throws IOException {
        Path tar = fixture("hardlink-absolute.tar", new RawTar().hardlink("shadow", "/etc/shadow").end());
        assertFails(tar, "entry 'shadow' at offset 0: refused: hardlink to '/etc/shadow': absolute name '/etc/shadow'; "
                + "image archives hold relative names", Problem.ABSOLUTE);
    }

    @Test
    void hardlinkNotYetSeen() throws IOException {
        Path tar = fixture("hardlink-not-yet-seen.tar", new RawTar().hardlink("a", "b").file("b", "x").end());
        assertFails(tar, "entry 'a' at offset 0: refused: hardlink to 'b', which is not an earlier entry of the archive",
                Problem.HARDLINK_UNKNOWN);
    }

    @Test
    void hardlinkThroughSymlink() throws IOException {
        Path tar = fixture("hardlink-through-symlink.tar",
                new RawTar().symlink("etc", "/etc").hardlink("shadow", "etc/shadow").end());
        assertFails(tar, "entry 'shadow' at offset 512: refused: hardlink to 'etc/shadow' goes through a symlink entry",
                Problem.THROUGH_SYMLINK);
    }

    @Test
    void truncated() throws IOException {
        RawTar t = new RawTar().file("first", "ok");
        t.header("big".getBytes(StandardCharsets.US_ASCII), '0', 0644, 1000, "").raw(new byte[600]);
        Path tar = fixture("truncated.tar", t.unfinished());
        assertFails(tar, "entry 'big' at offset 1024: the archive ends at offset 2136, 400 bytes before the end of this "
                + "entry's 1000 bytes of content; it is truncated", null);
    }

    @Test
    void truncatedInsideAHeader() throws IOException {
        byte[] whole = new RawTar().file("first", "ok").file("second", "ok").end();
        Path tar = fixture("truncated-header.tar", java.util.Arrays.copyOf(whole, 1024 + 100));
        assertFails(tar, "archive at offset 1024: the archive ends at offset 1124 inside a 512-byte header; it is truncated", null);
    }

    @Test
    void missingEndMarker() throws IOException {
        Path tar = fixture("truncated-no-end-marker.tar", new RawTar().file("first", "ok").unfinished());
        assertFails(tar, "archive at offset 1024: the archive ends without an end-of-archive marker; it is truncated", null);
    }

    @Test
    void hugeSize() throws IOException {
        RawTar t = new RawTar();
        t.header("huge".getBytes(StandardCharsets.US_ASCII), '0', 0644, 1L << 62, "");
        Path tar = fixture("huge-size.tar", t.end());
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(LimitExceededException.class)
                .hasMessage("entry 'huge' at offset 0: declared size of 4611686018427387904 bytes is more than the limit of "
                        + TarLimits.DEFAULT.maxEntrySize() + " bytes");
        assertNothingOutsideTheStore();
    }

    @Test
    void hugePaxSize() throws IOException {
        Path tar = fixture("huge-pax-size.tar", new RawTar().pax("size", "999999999999999999".getBytes(StandardCharsets.US_ASCII))
                .file("huge", "").end());
        assertThatThrownBy(() -> new TarImporter(store, TarLimits.DEFAULT.withMaxEntrySize(1 << 20)).importTar(tar, Progress.none()))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("entry 'huge' at offset 0: declared size of 999999999999999999 bytes is more than the limit of 1048576 bytes");
    }

    @Test
    void hugePaxHeader() throws IOException {
        RawTar t = new RawTar();
        t.header("./PaxHeaders/x".getBytes(StandardCharsets.US_ASCII), 'x', 0644, 1L << 40, "");
        Path tar = fixture("huge-pax-header.tar", t.end());
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(LimitExceededException.class)
                .hasMessage("entry './PaxHeaders/x' at offset 0: PAX header of 1099511627776 bytes is more than the limit of 1048576 bytes");
    }

    @Test
    void nulInName() throws IOException {
        Path tar = fixture("nul-in-name.tar", new RawTar().pax("path", "a\0b".getBytes(StandardCharsets.US_ASCII)).file("ab", "x").end());
        assertFails(tar, "entry 'a\\x00b' at offset 0: refused: the name contains a NUL byte", Problem.NUL);
    }

    @Test
    void badGzip() throws IOException {
        byte[] garbage = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5};
        Path tar = fixture("bad-gzip.tar.gz", garbage);
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class)
                .hasMessageStartingWith("archive at offset 0: corrupt gzip data: ");
        assertNothingOutsideTheStore();
    }

    @Test
    void truncatedGzip() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new RawTar().file("a", "x".repeat(100_000)).end());
        }
        byte[] all = gz.toByteArray();
        Path tar = fixture("truncated-gzip.tar.gz", java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class)
                .hasMessageContaining("corrupt gzip data: Unexpected end of ZLIB input stream");
    }

    @Test
    void badXz() throws IOException {
        byte[] garbage = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, (byte) 0xe6, (byte) 0xd6, (byte) 0xb4, 0x46, 9, 9, 9, 9, 9, 9, 9};
        Path tar = fixture("bad-xz.tar.xz", garbage);
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class)
                .hasMessageStartingWith("archive at offset 0: corrupt xz data: ");
    }

    @Test
    void badZstd() throws IOException {
        byte[] garbage = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
        Path tar = fixture("bad-zstd.tar.zst", garbage);
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class)
                .hasMessageStartingWith("archive at offset 0: corrupt zstd data: ");
    }

    @Test
    void notATar() throws IOException {
        byte[] junk = new byte[1024];
        java.util.Arrays.fill(junk, (byte) 'j');
        Path tar = fixture("not-a-tar.tar", junk);
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class)
                .hasMessage("archive at offset 0: no valid tar header here (bad checksum field); not a tar archive, or corrupt");
    }

    @Test
    void fileReplacingANonEmptyDirectory() throws IOException {
        Path tar = fixture("file-replaces-directory.tar", new RawTar().file("d/x", "1").file("d", "2").end());
        assertFails(tar, "entry 'd' at offset 1024: refused: it would replace the non-empty directory 'd'", Problem.REPLACES_DIRECTORY);
    }

    private Path fixture(String name, byte[] bytes) throws IOException {
        return Files.write(corpus.resolve(name), bytes);
    }

    private void importTar(Path tar) throws IOException {
        new TarImporter(store).importTar(tar, Progress.none());
    }

    private void assertFails(Path tar, String message, Problem problem) throws IOException {
        assertThatThrownBy(() -> importTar(tar)).isInstanceOf(TarFormatException.class).hasMessage(message)
                .satisfies(e -> {
                    if (problem != null) {
                        assertThat(e.getCause()).isInstanceOf(EntryPathException.class);
                        assertThat(((EntryPathException) e.getCause()).problem()).isEqualTo(problem);
                    }
                });
        assertNothingOutsideTheStore();
    }

    /** Only the store and the corpus exist under the work directory, and the store has no temp files left. */
    private void assertNothingOutsideTheStore() throws IOException {
        try (Stream<Path> all = Files.walk(work)) {
            List<String> outside = all.map(p -> work.relativize(p).toString())
                    .filter(p -> !p.isEmpty() && !p.startsWith("store") && !p.startsWith("corpus"))
                    .collect(Collectors.toList());
            assertThat(outside).isEmpty();
        }
        try (Stream<Path> temps = Files.list(store.root().resolve("tmp"))) {
            assertThat(temps).isEmpty();
        }
    }
}
