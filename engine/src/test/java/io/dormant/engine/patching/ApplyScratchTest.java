package io.dormant.engine.patching;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where an apply keeps its throw-away files. */
class ApplyScratchTest {

    @Test
    void anAdminsChoiceWins() {
        assertThat(ApplyScratch.choose(Map.of("DORMANT_SCRATCH", "/srv/fast/scratch"), Path.of("/srv/dormant")))
                .isEqualTo(Path.of("/srv/fast/scratch"));
    }

    @Test
    void otherwiseMemoryWhenThereIsRoomElseTheHome() throws Exception {
        Path chosen = ApplyScratch.choose(Map.of(), Path.of("/srv/dormant"));
        boolean memory = Files.isDirectory(Path.of("/dev/shm")) && "tmpfs".equals(Files.getFileStore(Path.of("/dev/shm")).type())
                && Files.getFileStore(Path.of("/dev/shm")).getUsableSpace() >= (4L << 30) && Files.isWritable(Path.of("/dev/shm"));
        assertThat(chosen).isEqualTo(memory ? Path.of("/dev/shm/dormant-scratch-" + System.getProperty("user.name"))
                : Path.of("/srv/dormant/scratch"));
    }
}
