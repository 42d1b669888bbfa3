package io.dormant.library.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkouts on a memory file system that is too small for them: a real tmpfs of a few MiB stands
 * for /dev/shm, a directory of the test's for the cache on disk.
 */
class CheckoutsRoomIT {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;
    Path memory;
    Path disk;
    final List<String> notes = new ArrayList<>();

    @BeforeEach
    void mountSmallMemory() throws Exception {
        memory = Files.createDirectory(dir.resolve("memory"));
        disk = dir.resolve("disk");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", memory.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root: " + new String(mount.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", memory.toString()).inheritIO().start().waitFor();
    }

    @Test
    void aCheckoutThatFillsTheMemoryGoesToDiskAndLeavesNothingHalfWritten() throws Exception {
        Checkouts checkouts = new Checkouts(memory, 4, disk, MIB);

        Path checkout = checkouts.checkOut(name('a'), tree(12), notes::add);

        assertThat(checkout).isEqualTo(disk.resolve(name('a')));
        assertThat(Files.size(checkout.resolve("content"))).isEqualTo(12 * MIB);
        try (Stream<Path> left = Files.list(memory)) {
            assertThat(left).isEmpty();
        }
        assertThat(notes).singleElement().asString().contains("did not fit into the memory file system of " + memory);
    }

    @Test
    void aCheckoutGoesToDiskWithoutTryingWhenTheMemoryIsShortOfRoom() throws Exception {
        Checkouts checkouts = new Checkouts(memory, 4, disk, 6 * MIB);
        Files.write(memory.resolve("someone-else"), new byte[(int) (3 * MIB)]);
        AtomicInteger exports = new AtomicInteger();

        Path checkout = checkouts.checkOut(name('b'), partial -> {
            exports.incrementAndGet();
            tree(1).into(partial);
        }, notes::add);

        assertThat(checkout).isEqualTo(disk.resolve(name('b')));
        assertThat(exports).hasValue(1);
        assertThat(notes).singleElement().asString().contains("less than 6 MiB free");
    }

    @Test
    void aCheckoutMadeOnDiskIsFoundThereNextTime() throws Exception {
        Checkouts checkouts = new Checkouts(memory, 4, disk, MIB);
        Path first = checkouts.checkOut(name('c'), tree(12), notes::add);

        Path again = checkouts.checkOut(name('c'), partial -> {
            throw new IOException("exported twice");
        }, notes::add);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void oldCheckoutsInMemoryMakeRoomBeforeANewOneGoesToDisk() throws Exception {
        Checkouts checkouts = new Checkouts(memory, 4, disk, 3 * MIB);
        Path oldest = inMemory(checkouts, 'd');
        Path older = inMemory(checkouts, 'e');
        lastUsed(oldest, 7200);
        lastUsed(older, 3600);
        assertThat(Files.getFileStore(memory).getUsableSpace()).isLessThan(3 * MIB);

        Path checkout = checkouts.checkOut(name('f'), tree(1), notes::add);

        assertThat(checkout).isEqualTo(memory.resolve(name('f')));
        assertThat(oldest).doesNotExist();
        assertThat(older).exists();
        assertThat(notes).isEmpty();
    }

    @Test
    void aFailureOtherThanRoomIsNotRetriedOnDisk() {
        Checkouts checkouts = new Checkouts(memory, 4, disk, MIB);

        assertThatThrownBy(() -> checkouts.checkOut(name('g'), partial -> {
            throw new IOException("the store's object 1234 is damaged");
        }, notes::add)).hasMessageContaining("damaged");
        assertThat(disk.resolve(name('g'))).doesNotExist();
        assertThat(memory.resolve(name('g'))).doesNotExist();
    }

    /** A checkout of 3 MiB, made in memory just now. */
    private Path inMemory(Checkouts checkouts, char letter) throws IOException {
        Path checkout = checkouts.checkOut(name(letter), tree(3), notes::add);
        assertThat(checkout.getParent()).isEqualTo(memory);
        return checkout;
    }

    private void lastUsed(Path checkout, long secondsAgo) throws IOException {
        Files.setLastModifiedTime(memory.resolve(checkout.getFileName() + ".used"),
                FileTime.fromMillis(System.currentTimeMillis() - secondsAgo * 1000));
    }

    private static String name(char letter) {
        return String.valueOf(letter).repeat(64);
    }

    /** An export that writes one file of {@code mib} MiB, as a version's tree would. */
    private static Checkouts.Export tree(int mib) {
        return partial -> {
            try (OutputStream out = Files.newOutputStream(partial.resolve("content"))) {
                byte[] block = new byte[(int) MIB];
                for (int i = 0; i < mib; i++) {
                    out.write(block);
                }
            }
        };
    }
}
