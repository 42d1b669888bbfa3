package io.dormant.adapters.patching;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.OverlayMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scratch of an apply whose process died is unmounted and removed by the next apply; no other is. */
class AbandonedScratchIT {

    private Path work;
    private Path parent;
    private Path lower;

    @BeforeEach
    void dirs() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        work = Files.createTempDirectory(Path.of("/var/tmp"), "abandoned-scratch-it");
        parent = Files.createDirectories(work.resolve("scratch"));
        lower = Files.createDirectories(work.resolve("checkout"));
        Files.writeString(lower.resolve("kept"), "the checkout is shared by later applies\n");
    }

    @AfterEach
    void remove() throws Exception {
        if (work != null) {
            for (String mountPoint : AbandonedScratch.mountPointsBeneath(work.toRealPath().toString())) {
                new ProcessBuilder("umount", "--lazy", mountPoint).inheritIO().start().waitFor();
            }
            new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void theMountedScratchOfADeadProcessIsUnmountedAndRemovedWithoutTouchingItsCheckout() throws Exception {
        Path dead = Files.createDirectory(parent.resolve(AbandonedScratch.PREFIX + "dead"));
        OverlayMount.mount(lower, dead);
        Files.writeString(dead.resolve("merged/unpacked"), "written by the apply that died\n");
        Files.writeString(dead.resolve(AbandonedScratch.OWNER), deadProcess() + "\n");
        Path live = Files.createDirectory(parent.resolve(AbandonedScratch.PREFIX + "live"));
        AbandonedScratch.claim(live);
        Path unmarked = Files.createDirectory(parent.resolve(AbandonedScratch.PREFIX + "unmarked"));

        List<String> said = AbandonedScratch.sweep(parent);

        assertThat(said).singleElement().asString().startsWith("removed the scratch directory " + dead);
        assertThat(dead).doesNotExist();
        assertThat(AbandonedScratch.mountPointsBeneath(work.toRealPath().toString())).isEmpty();
        assertThat(lower.resolve("kept")).hasContent("the checkout is shared by later applies");
        assertThat(live).isDirectory();
        assertThat(unmarked).isDirectory();
    }

    @Test
    void aProcessIdReusedByAnotherProcessDoesNotKeepTheScratch() throws Exception {
        Path reused = Files.createDirectory(parent.resolve(AbandonedScratch.PREFIX + "reused"));
        // This process's id, with a start time that is not its own: the owner was another process.
        Files.writeString(reused.resolve(AbandonedScratch.OWNER), ProcessHandle.current().pid() + " 1\n");

        assertThat(AbandonedScratch.sweep(parent)).hasSize(1);
        assertThat(reused).doesNotExist();
    }

    @Test
    void nothingToSweepSaysNothing() {
        assertThat(AbandonedScratch.sweep(parent)).isEmpty();
        assertThat(AbandonedScratch.sweep(work.resolve("absent"))).isEmpty();
    }

    /** The identity a process had, once it has ended. */
    private static String deadProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        String identity = io.dormant.library.fs.ProcessOwner.of(process.toHandle()).toString();
        process.waitFor();
        return identity.endsWith("?") ? process.pid() + " 1" : identity;
    }
}
