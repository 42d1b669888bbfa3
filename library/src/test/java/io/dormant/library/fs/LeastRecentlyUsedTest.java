package io.dormant.library.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeastRecentlyUsedTest {

    @TempDir
    Path dir;

    @Test
    void theLeastRecentlyUsedGoUntilTheRestFits() throws IOException {
        entry("old", 100, 1_000);
        entry("used-lately", 100, 2_000);
        entry("new", 100, 3_000);
        LeastRecentlyUsed.markUsed(dir.resolve("old"));

        long removed = LeastRecentlyUsed.trim(dir, "*", 250);

        assertThat(removed).isEqualTo(100);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("old", "new");
    }

    @Test
    void onlyEntriesMatchingTheGlobCountOrGo() throws IOException {
        entry("a.tar", 100, 1_000);
        entry("b.tar", 100, 2_000);
        entry(".partial.tmp", 1_000, 0);

        assertThat(LeastRecentlyUsed.trim(dir, "*.tar", 200)).isZero();
        assertThat(LeastRecentlyUsed.trim(dir, "*.tar", 150)).isEqualTo(100);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("b.tar", ".partial.tmp");
    }

    @Test
    void aMissingDirectoryHoldsNothingToTrim() throws IOException {
        assertThat(LeastRecentlyUsed.trim(dir.resolve("absent"), "*", 0)).isZero();
    }

    private void entry(String name, int size, long modifiedMillis) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[size]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    }
}
