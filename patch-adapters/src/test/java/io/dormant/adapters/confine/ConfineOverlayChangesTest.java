package io.dormant.adapters.confine;

import static io.dormant.adapters.confine.OverlayChange.Kind.ADDED_OR_CHANGED;
import static io.dormant.adapters.confine.OverlayChange.Kind.DELETED;
import static io.dormant.adapters.confine.OverlayChange.Kind.OPAQUE_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.posix.Posix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upper dirs laid out by hand the way overlayfs lays them out, read against a lower dir. */
class ConfineOverlayChangesTest {

    @TempDir
    Path dir;
    private Path lower;
    private Path upper;

    @BeforeEach
    void layers() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "whiteouts and trusted xattrs need root");
        lower = Files.createDirectories(dir.resolve("lower"));
        upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(lower.resolve("etc/skel"));
        Files.writeString(lower.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(lower.resolve("etc/issue"), "Debian\n");
        Files.writeString(lower.resolve("etc/skel/.bashrc"), "# bashrc\n");
        Files.createDirectories(lower.resolve("usr/bin"));
    }

    @Test
    void aCopiedUpParentIsNoChangeButTheFileInItIs() throws Exception {
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nfoo:x:100:100::/:/bin/false\n");

        assertThat(OverlayChanges.list(upper, lower)).containsExactly(new OverlayChange("/etc/passwd", ADDED_OR_CHANGED));
    }

    @Test
    void aWhiteoutIsADeletion() throws Exception {
        Files.createDirectories(upper.resolve("etc"));
        Posix.mknod(upper.resolve("etc/issue"), Posix.S_IFCHR, 0, 0, 0);

        assertThat(OverlayChanges.list(upper, lower)).containsExactly(new OverlayChange("/etc/issue", DELETED));
    }

    @Test
    void anOpaqueDirectoryHidesTheLowerOneAndItsNewChildrenAreListed() throws Exception {
        Path skel = Files.createDirectories(upper.resolve("etc/skel"));
        Posix.setXattr(skel, OverlayChanges.OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(skel.resolve("new"), "hello\n");

        assertThat(OverlayChanges.list(upper, lower)).containsExactly(
                new OverlayChange("/etc/skel", OPAQUE_DIR),
                new OverlayChange("/etc/skel/new", ADDED_OR_CHANGED));
    }

    @Test
    void newDirectoriesAndChangedModesAreListedSymlinksToo() throws Exception {
        Files.createDirectories(upper.resolve("var/lib/dormanttest"));
        Files.createDirectories(upper.resolve("usr/bin"));
        Files.setPosixFilePermissions(upper.resolve("usr/bin"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(upper.resolve("usr/bin/awk"), Path.of("/etc/alternatives/awk"));

        assertThat(OverlayChanges.list(upper, lower)).containsExactly(
                new OverlayChange("/usr/bin", ADDED_OR_CHANGED),
                new OverlayChange("/usr/bin/awk", ADDED_OR_CHANGED),
                new OverlayChange("/var", ADDED_OR_CHANGED),
                new OverlayChange("/var/lib", ADDED_OR_CHANGED),
                new OverlayChange("/var/lib/dormanttest", ADDED_OR_CHANGED));
    }

    @Test
    void aLowerSymlinkIsNeverFollowedWhenComparingDirectories() throws Exception {
        // In the lower dir /srv is a symlink to the host's /etc; upper replaced it with a directory.
        Files.createSymbolicLink(lower.resolve("srv"), Path.of("/etc"));
        Files.createDirectories(upper.resolve("srv/ssl"));

        assertThat(OverlayChanges.list(upper, lower)).containsExactly(
                new OverlayChange("/srv", ADDED_OR_CHANGED),
                new OverlayChange("/srv/ssl", ADDED_OR_CHANGED));
    }

    @Test
    void anEmptyUpperDirHasNoChanges() throws Exception {
        assertThat(OverlayChanges.list(upper, lower)).isEmpty();
    }
}
