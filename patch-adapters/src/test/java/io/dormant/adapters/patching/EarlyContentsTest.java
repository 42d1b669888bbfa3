package io.dormant.adapters.patching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Tree;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file stored while the apply ran counts only while it is exactly the file that was stored. */
class EarlyContentsTest {

    @TempDir
    Path dir;
    Path upper;
    Workspace workspace;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(EarlyContents.available(), "lstat through libc is not available on this host");
        ContentStore store = ContentStore.open(dir.resolve("store"));
        ObjectId empty = store.putTree(new Tree(Metadata.of(0755, 0, 0, 0, 0), List.of()).encode());
        workspace = Workspace.open(store, empty, dir.resolve("staging"));
        upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("usr/bin"));
    }

    @Test
    void anUnchangedFileIsTheStoredOne() throws Exception {
        Path file = written("usr/bin/tool", "version 2\n");
        try (EarlyContents early = new EarlyContents(upper, dir.resolve("mark"), workspace)) {
            Thread.sleep(20); // past the clock tick the file was written in
            early.unpacked(List.of("/usr", "/usr/bin", "/usr/bin/tool", "/usr/bin/missing"));
            early.finish();
            StoredBlob stored = early.storedAs("/usr/bin/tool", EarlyContents.lstat(file));
            assertThat(stored).isNotNull();
            assertThat(stored.id()).isEqualTo(ObjectId.hash("version 2\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(early.storedAs("/usr/bin", EarlyContents.lstat(upper.resolve("usr/bin")))).isNull();
        }
    }

    @Test
    void aFileChangedAfterwardsIsNotEvenWithItsSizeAndTimeRestored() throws Exception {
        Path file = written("usr/bin/tool", "version 2\n");
        FileTime mtime = Files.getLastModifiedTime(file);
        try (EarlyContents early = new EarlyContents(upper, dir.resolve("mark"), workspace)) {
            Thread.sleep(20);
            early.unpacked(List.of("/usr/bin/tool"));
            early.finish();
            // What a script might do at once: same length, modification time put back.
            Files.writeString(file, "version 3\n");
            Files.setLastModifiedTime(file, mtime);
            assertThat(early.storedAs("/usr/bin/tool", EarlyContents.lstat(file))).isNull();
        }
    }

    @Test
    void aFileReplacedByAnotherIsNot() throws Exception {
        Path file = written("usr/bin/tool", "version 2\n");
        try (EarlyContents early = new EarlyContents(upper, dir.resolve("mark"), workspace)) {
            Thread.sleep(20);
            early.unpacked(List.of("/usr/bin/tool"));
            early.finish();
            Path other = written("usr/bin/tool.new", "version 3\n");
            Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(early.storedAs("/usr/bin/tool", EarlyContents.lstat(file))).isNull();
        }
    }

    @Test
    void aFileAsNewAsTheMarkIsLeftToTheIngest() throws Exception {
        try (EarlyContents early = new EarlyContents(upper, dir.resolve("mark"), workspace)) {
            // Written and handed over at once: most likely in the marker's own clock tick, and
            // then it must not count. Either way, what counts must be the file as it is.
            Path file = written("usr/bin/tool", "version 2\n");
            early.unpacked(List.of("/usr/bin/tool"));
            early.finish();
            StoredBlob stored = early.storedAs("/usr/bin/tool", EarlyContents.lstat(file));
            if (stored != null) {
                assertThat(stored.id()).isEqualTo(ObjectId.hash(Files.readAllBytes(file)));
                assertThat(Files.getAttribute(file, "unix:ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .isNotEqualTo(Files.getAttribute(dir.resolve("mark"), "unix:ctime"));
            }
        }
    }

    @Test
    void nothingIsStoredAfterClose() throws Exception {
        Path file = written("usr/bin/tool", "version 2\n");
        EarlyContents early = new EarlyContents(upper, dir.resolve("mark"), workspace);
        early.close();
        early.unpacked(List.of("/usr/bin/tool"));
        assertThat(early.storedAs("/usr/bin/tool", EarlyContents.lstat(file))).isNull();
    }

    private Path written(String path, String content) throws IOException {
        return Files.writeString(upper.resolve(path), content);
    }
}
