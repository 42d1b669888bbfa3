package io.dormant.library.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutsTest {

    @TempDir
    Path dir;

    @Test
    void theLeastRecentlyUsedGoBeyondTheNumberKeptButNeverARecentOne() throws Exception {
        Checkouts checkouts = new Checkouts(dir, 2);
        Path oldest = checkout("a", Duration.ofHours(3));
        Path older = checkout("b", Duration.ofHours(2));
        Path old = checkout("c", Duration.ofHours(1));
        Path recent = checkout("d", Duration.ofMinutes(1));
        Path fresh = checkout("e", Duration.ZERO);

        checkouts.evict(fresh);

        assertThat(oldest).doesNotExist();
        assertThat(dir.resolve(oldest.getFileName() + ".used")).doesNotExist();
        assertThat(older).doesNotExist();
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(fresh).exists();
    }

    @Test
    void checkoutsOnDiskAreKeptNoMoreThanInMemory() throws Exception {
        Path disk = dir.resolve("disk");
        // No memory file system has this much free: every checkout goes to disk.
        Checkouts checkouts = new Checkouts(dir.resolve("memory"), Checkouts.KEPT_IN_MEMORY, disk, Long.MAX_VALUE);
        Files.createDirectories(disk);
        for (char c = 'a'; c <= 'f'; c++) {
            checkout(disk, String.valueOf(c), Duration.ofHours('g' - c));
        }

        Path made = checkouts.checkOut("0".repeat(64), into -> Files.writeString(into.resolve("file"), "tree"), note -> { });

        assertThat(made).isEqualTo(disk.resolve("0".repeat(64))).isDirectory();
        try (var left = Files.list(disk)) {
            assertThat(left.filter(Files::isDirectory).map(p -> p.getFileName().toString().substring(0, 1)))
                    .containsExactlyInAnyOrder("0", "d", "e", "f");
        }
    }

    @Test
    void reusingACheckoutAlsoEvictsBeyondTheNumberKept() throws Exception {
        Checkouts checkouts = new Checkouts(dir, 1);
        checkout("a", Duration.ofHours(3));
        checkout("b", Duration.ofHours(2));
        Path reused = checkout("c", Duration.ofHours(1));

        Path found = checkouts.checkOut(reused.getFileName().toString(), into -> {
            throw new AssertionError("an existing checkout is made again");
        }, note -> { });

        assertThat(found).isEqualTo(reused);
        assertThat(dir.resolve("a".repeat(64))).doesNotExist();
        assertThat(dir.resolve("b".repeat(64))).doesNotExist();
    }

    @Test
    void aDirectoryNamedByTheEnvironmentKeepsEverything() throws Exception {
        Checkouts checkouts = Checkouts.choose(dir, Map.of(Checkouts.VARIABLE, dir.resolve("mine").toString()));
        assertThat(checkouts.dir()).isEqualTo(dir.resolve("mine"));
        Files.createDirectories(checkouts.dir());
        Path first = Files.createDirectory(checkouts.dir().resolve("a".repeat(64)));
        for (char c = 'b'; c <= 'f'; c++) {
            Files.createDirectory(checkouts.dir().resolve(String.valueOf(c).repeat(64)));
        }
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));

        checkouts.evict(null);

        assertThat(first).exists();
    }

    @Test
    void anOverlayLowerLayerIsInUse() {
        Path checkout = Path.of("/dev/shm/dormant-checkouts-root/" + "a".repeat(64));
        String line = "812 27 0:77 / /dev/shm/dormant-scratch-root/apply-1/merged rw,relatime shared:441 - overlay overlay "
                + "rw,lowerdir=" + checkout + ",upperdir=/dev/shm/dormant-scratch-root/apply-1/upper,workdir=/x/work\n";
        assertThat(Checkouts.mountedOn(line, checkout)).isTrue();
        assertThat(Checkouts.mountedOn(line.replace("lowerdir=", "lowerdir=/other:"), checkout)).isTrue();
        assertThat(Checkouts.mountedOn(line, Path.of("/dev/shm/dormant-checkouts-root/" + "a".repeat(63)))).isFalse();
        assertThat(Checkouts.mountedOn("812 27 0:77 / /mnt rw - ext4 /dev/vda rw\n", checkout)).isFalse();
    }

    /** A checkout last used {@code ago}. */
    private Path checkout(String letter, Duration ago) throws Exception {
        return checkout(dir, letter, ago);
    }

    private static Path checkout(Path dir, String letter, Duration ago) throws Exception {
        Path checkout = Files.createDirectory(dir.resolve(letter.repeat(64)));
        Files.writeString(checkout.resolve("file"), "content");
        Checkouts.touch(checkout);
        Files.setLastModifiedTime(dir.resolve(checkout.getFileName() + ".used"),
                FileTime.fromMillis(System.currentTimeMillis() - ago.toMillis()));
        return checkout;
    }
}
