package io.dormant.library.fs;

import static io.dormant.library.fs.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unchanged re-import takes file contents, xattrs, symlink targets, directory listings and
 * whole trees from the stat cache. Each change here, made after the first import with the usual
 * tools, must still be seen; most also put the changed entry's mtime (and its directory's) back,
 * so that only ctime tells. The oracle is an import of the same tree without a cache.
 */
class ReimportIT {
    private static final String DEEP = "a/b/c/d/deep.txt";
    private Path work;
    private Path source;
    private Path cache;
    private ContentStore store;

    @BeforeEach
    void tree() throws Exception {
        work = Commands.scratch("reimport");
        source = work.resolve("src");
        Files.createDirectories(source);
        shell("mkdir -p a/b/c/d e f && printf 'hello world\\n' > " + DEEP + " && printf 'one\\n' > a/b/one"
                + " && printf 'two\\n' > e/two && ln e/two e/two-again && setfattr -n user.kept -v old e/two"
                + " && ln -s d/deep.txt a/b/c/link && mkfifo f/fifo && setfattr -n user.dir -v old a");
        store = ContentStore.open(work.resolve("store"));
        cache = work.resolve("cache");
        // Past the racy window, so that the first import trusts (and records) every entry.
        Thread.sleep(StatCache.RACY_WINDOW_NANOS / 1_000_000 + 50);
    }

    @AfterEach
    void clean() throws Exception {
        Commands.deleteTree(work);
    }

    @Test
    void contentOfTheSameSizeWithTheMtimePutBack() throws Exception {
        assertChangeSeen("m=$(stat -c %y " + DEEP + ") && printf 'HELLO WORLD\\n' > " + DEEP + " && touch -d \"$m\" " + DEEP);
    }

    @Test
    void chmodOfADeepFile() throws Exception {
        assertChangeSeen("chmod 600 " + DEEP);
    }

    @Test
    void chmodOfADirectory() throws Exception {
        assertChangeSeen("chmod 700 a/b/c");
    }

    @Test
    void chownOfADeepFile() throws Exception {
        assertChangeSeen("chown 1234:50 " + DEEP);
    }

    @Test
    void mtimeOfADeepFile() throws Exception {
        assertChangeSeen("touch -d '2001-02-03 04:05:06' " + DEEP);
    }

    @Test
    void setfattrOnADeepFile() throws Exception {
        assertChangeSeen("setfattr -n user.added -v x " + DEEP);
    }

    @Test
    void setfattrChangingAValueOnAHardlinkedFile() throws Exception {
        assertChangeSeen("setfattr -n user.kept -v new e/two");
    }

    @Test
    void setfattrOnADirectory() throws Exception {
        assertChangeSeen("setfattr -n user.dir -v new a");
    }

    @Test
    void renameWithinADirectoryWithItsMtimePutBack() throws Exception {
        assertChangeSeen(keepingMtimeOf("a/b/c/d", "mv " + DEEP + " a/b/c/d/peed.txt"));
    }

    @Test
    void newFileInADeepDirectoryWithItsMtimePutBack() throws Exception {
        assertChangeSeen(keepingMtimeOf("a/b/c/d", "printf x > a/b/c/d/new"));
    }

    @Test
    void removedFileWithItsDirectoryMtimePutBack() throws Exception {
        assertChangeSeen(keepingMtimeOf("a/b", "rm a/b/one"));
    }

    @Test
    void symlinkPointedElsewhereWithTheSameLengthAndMtime() throws Exception {
        assertChangeSeen(keepingMtimeOf("a/b/c", "m=$(stat -c %y a/b/c/link) && rm a/b/c/link && ln -s d/DEEP.txt a/b/c/link"
                + " && touch -h -d \"$m\" a/b/c/link"));
    }

    @Test
    void hardlinkAddedInAnotherDirectory() throws Exception {
        // a/b/two comes before e/two in canonical order, so it becomes the group's first name.
        assertChangeSeen(keepingMtimeOf("a/b", "ln e/two a/b/two"));
    }

    @Test
    void fifoReplacedByADirectory() throws Exception {
        assertChangeSeen(keepingMtimeOf("f", "rm f/fifo && mkdir f/fifo"));
    }

    @Test
    void aFileChangedJustBeforeAnImportIsReadAgainByTheNext() throws Exception {
        shell("printf 'hello World\\n' > " + DEEP);
        ImportResult first = importCached();
        // Within the clock's granularity another change could leave the same ctime: not trusted yet.
        shell("m=$(stat -c %y " + DEEP + ") && printf 'hello WORLD\\n' > " + DEEP + " && touch -d \"$m\" " + DEEP);
        ImportResult again = importCached();
        assertThat(again.filesHashed()).isGreaterThanOrEqualTo(1);
        assertThat(again.root()).isNotEqualTo(first.root()).isEqualTo(uncachedRoot());
    }

    @Test
    void aDamagedCacheIsDroppedAndEverythingIsReadAgain() throws Exception {
        ImportResult first = importCached();
        Path file = StatCache.fileFor(cache, source);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        ImportResult again = importCached();
        assertThat(again.filesHashed()).isEqualTo(first.files());
        assertThat(again.root()).isEqualTo(first.root());
    }

    @Test
    void aCacheNamingObjectsTheStoreLacksCostsARehashNeverAMissingObject() throws Exception {
        ImportResult first = importCached();
        // The same cache over another store: as after a gc took the objects of an import no version names.
        store = ContentStore.open(work.resolve("other-store"));
        ImportResult again = importCached();
        assertThat(again.root()).isEqualTo(first.root());
        assertThat(again.filesHashed()).isEqualTo(first.files());
        new DirectoryExporter(store).export(again.root(), work.resolve("out"), Progress.none());
    }

    /**
     * Imports twice (the second must take everything from the cache and leave the cache file as
     * it is), makes the change, and imports again: the root must be the one an uncached import gives.
     */
    private void assertChangeSeen(String change) throws Exception {
        ImportResult first = importCached();
        Object cacheFile = fileKey();
        ImportResult again = importCached();
        assertThat(again.root()).isEqualTo(first.root());
        assertThat(again.filesHashed()).isZero();
        assertThat(fileKey()).as("an unchanged re-import rewrote the stat cache").isEqualTo(cacheFile);

        shell(change);
        ImportResult changed = importCached();
        assertThat(changed.root()).as("after: %s", change).isNotEqualTo(first.root()).isEqualTo(uncachedRoot());
        // And the cache written by that import is right too.
        assertThat(importCached().root()).isEqualTo(changed.root());
    }

    private static String keepingMtimeOf(String dir, String change) {
        return "dm=$(stat -c %y " + dir + ") && " + change + " && touch -d \"$dm\" " + dir;
    }

    private ImportResult importCached() throws Exception {
        return new DirectoryImporter(store, cache).importDirectory(source, Progress.none());
    }

    private ObjectId uncachedRoot() throws Exception {
        return new DirectoryImporter(store, null).importDirectory(source, Progress.none()).root();
    }

    private Object fileKey() throws Exception {
        return Files.readAttributes(StatCache.fileFor(cache, source), BasicFileAttributes.class).fileKey();
    }

    private void shell(String script) throws Exception {
        run("sh", "-c", "cd " + source + " && " + script);
    }
}
