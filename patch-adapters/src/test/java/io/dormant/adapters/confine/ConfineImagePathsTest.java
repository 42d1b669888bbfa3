package io.dormant.adapters.confine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfineImagePathsTest {

    @TempDir
    Path root;

    @BeforeEach
    void mergedUsr() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.createFile(root.resolve("usr/bin/systemctl"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("sbin"), Path.of("/usr/sbin"));
    }

    @Test
    void relativeAndAbsoluteSymlinksResolveInsideTheImage() throws Exception {
        assertThat(ImagePaths.canonical(root, "/bin/systemctl")).isEqualTo("/usr/bin/systemctl");
        assertThat(ImagePaths.canonical(root, "/sbin/start-stop-daemon")).isEqualTo("/usr/sbin/start-stop-daemon");
    }

    @Test
    void dotDotStopsAtTheImageRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("usr/sbin/escape"), Path.of("../../../../etc/passwd"));

        assertThat(ImagePaths.canonical(root, "/usr/sbin/escape")).isEqualTo("/etc/passwd");
        assertThat(ImagePaths.host(root, "/etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
    }

    @Test
    void aMissingDirectoryOnTheWayGivesNull() throws Exception {
        assertThat(ImagePaths.canonical(root, "/opt/bin/initctl")).isNull();
        assertThat(ImagePaths.canonical(root, "/usr/bin/systemctl/x")).isNull();
    }

    @Test
    void aSymlinkLoopIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));

        assertThatThrownBy(() -> ImagePaths.canonical(root, "/loop/x"))
                .isInstanceOf(ConfineException.class).hasMessageContaining("too many symlinks");
    }
}
