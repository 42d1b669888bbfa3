package io.dormant.library.tar;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.CountingProgress;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarImporterTest {
    @TempDir
    Path dir;
    ContentStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = ContentStore.open(dir.resolve("store"));
    }

    @Test
    void readsGnuLongNamesPaxBinaryXattrsAndNanoseconds() throws IOException {
        String longName = "d/" + "n".repeat(200);
        byte[] cap = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0, 0, 0, 0, 0, 0};
        byte[] tar = new RawTar().dir("./").dir("./d/").gnuLongName(longName).file("ignored-short-name", "long")
                .pax("SCHILY.xattr.security.capability", cap).pax("mtime", b("1700000000.000000042"))
                .file("d/capped", "cap").end();
        CountingProgress progress = new CountingProgress();
        ImportResult r = new TarImporter(store).importTar(new ByteArrayInputStream(tar), progress);

        Tree d = Trees.load(store, Trees.load(store, r.root()).get(b("d")).child());
        assertThat(d.get(b("n".repeat(200))).size()).isEqualTo(4);
        TreeEntry capped = d.get(b("capped"));
        assertThat(capped.meta().xattrs().get("security.capability")).isEqualTo(cap);
        assertThat(capped.meta().mtimeNanos()).isEqualTo(42);
        assertThat(r.files()).isEqualTo(2);
        assertThat(progress.files()).isEqualTo(2);
        assertThat(progress.bytes()).isEqualTo(7);
    }

    @Test
    void impliedDirectoriesAndHardlinksInArchiveOrder() throws IOException {
        byte[] tar = new RawTar().file("z/first", "shared").hardlink("a/second", "z/first").end();
        ImportResult r = new TarImporter(store).importTar(new ByteArrayInputStream(tar), Progress.none());

        Tree root = Trees.load(store, r.root());
        assertThat(root.self().mode()).isEqualTo(0755);
        TreeEntry second = Trees.load(store, root.get(b("a")).child()).get(b("second"));
        TreeEntry first = Trees.load(store, root.get(b("z")).child()).get(b("first"));
        assertThat(second.type()).as("canonically first name holds the content").isEqualTo(EntryType.FILE);
        assertThat(first.type()).isEqualTo(EntryType.HARDLINK);
        assertThat(new String(first.target(), StandardCharsets.UTF_8)).isEqualTo("a/second");
    }

    @Test
    void dormantsOwnTarReadsBackToTheSameRoot() throws IOException {
        byte[] tar = new RawTar().dir("./").file("etc/passwd", "root").symlink("bin", "usr/bin").end();
        ImportResult r = new TarImporter(store).importTar(new ByteArrayInputStream(tar), Progress.none());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TarExporter(store).export(r.root(), out, Progress.none());
        ImportResult again = new TarImporter(store).importTar(new ByteArrayInputStream(out.toByteArray()), Progress.none());
        assertThat(again.root()).isEqualTo(r.root());
        assertThat(again.newBytes()).isZero();
    }

    @Test
    void detectsCompressionByMagic() {
        assertThat(CompressionFormat.detect(new byte[] {0x1f, (byte) 0x8b, 8})).isEqualTo(CompressionFormat.GZIP);
        assertThat(CompressionFormat.detect(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})).isEqualTo(CompressionFormat.XZ);
        assertThat(CompressionFormat.detect(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).isEqualTo(CompressionFormat.ZSTD);
        assertThat(CompressionFormat.detect(b("./etc"))).isEqualTo(CompressionFormat.NONE);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
