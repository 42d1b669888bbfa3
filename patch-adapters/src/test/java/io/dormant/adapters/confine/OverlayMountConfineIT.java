package io.dormant.adapters.confine;

import static io.dormant.adapters.confine.OverlayChange.Kind.ADDED_OR_CHANGED;
import static io.dormant.adapters.confine.OverlayChange.Kind.DELETED;
import static io.dormant.adapters.confine.OverlayChange.Kind.OPAQUE_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Overlays of the real bookworm tree: writes land in the upper dir only, and close always unmounts. */
class OverlayMountConfineIT {

    private Path lower;
    private Path scratch;

    @BeforeEach
    void scratch() throws Exception {
        ConfineFixture.assumeSandboxTools();
        lower = ConfineFixture.minbase();
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "overlay-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        ConfineFixture.removeScratch(scratch);
    }

    @Test
    void writesThroughTheMergedDirLandInTheUpperDirOnly() throws Exception {
        String lowerIssue = ConfineFixture.sha256(lower.resolve("etc/issue"));
        try (OverlayMount overlay = OverlayMount.mount(lower, scratch)) {
            Path merged = overlay.merged();
            assertThat(merged.resolve("etc/os-release")).exists();
            Files.writeString(merged.resolve("etc/motd"), "patched by Dormant\n");
            Files.delete(merged.resolve("etc/issue"));
            deleteTree(merged.resolve("etc/skel"));
            Files.createDirectory(merged.resolve("etc/skel"));
            Files.writeString(merged.resolve("etc/skel/.profile"), "# new\n");

            assertThat(overlay.changes()).containsExactly(
                    new OverlayChange("/etc/issue", DELETED),
                    new OverlayChange("/etc/motd", ADDED_OR_CHANGED),
                    new OverlayChange("/etc/skel", OPAQUE_DIR),
                    new OverlayChange("/etc/skel/.profile", ADDED_OR_CHANGED));
        }
        assertThat(mounted(scratch.resolve("merged"))).isFalse();
        assertThat(ConfineFixture.sha256(lower.resolve("etc/issue"))).isEqualTo(lowerIssue);
        assertThat(scratch.resolve("upper/etc/motd")).hasContent("patched by Dormant");
    }

    @Test
    void aBusyMountIsUnmountedLazily() throws Exception {
        OverlayMount overlay = OverlayMount.mount(lower, scratch);
        try (FileChannel open = FileChannel.open(overlay.merged().resolve("etc/os-release"))) {
            overlay.close();
            assertThat(mounted(scratch.resolve("merged"))).isFalse();
            assertThat(open.size()).isPositive(); // the open file still reads after a lazy unmount
        }
        overlay.close(); // closing twice is harmless
    }

    @Test
    void aMountThatCannotBeMadeSaysWhichPaths() {
        assertThatThrownBy(() -> OverlayMount.mount(scratch.resolve("absent"), scratch))
                .isInstanceOf(ConfineException.class)
                .hasMessageContaining(scratch.resolve("absent").toString());
        assertThatThrownBy(() -> OverlayMount.mount(lower, scratch.resolve("a,b")))
                .isInstanceOf(ConfineException.class)
                .hasMessageContaining("a,b");
    }

    @Test
    void stubsAreUsedWhereTheKernelReadsThemFromADataLayer() throws Exception {
        String[] release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip().split("[.-]");
        int major = Integer.parseInt(release[0]);
        int minor = Integer.parseInt(release[1]);
        boolean dataLayers = major > 6 || (major == 6 && minor >= 5);
        assertThat(DataLayerProbe.works(scratch, java.util.Map.of())).as("overlayfs data-only layers on Linux %s.%s", major, minor)
                .isEqualTo(dataLayers);
        assertThat(DataLayerProbe.works(scratch, java.util.Map.of(DataLayerProbe.VARIABLE, "0"))).isFalse();
        try (var left = Files.list(scratch)) {
            assertThat(left).as("the probe leaves only its answer for this boot")
                    .allMatch(path -> path.getFileName().toString().startsWith(".data-layers-"));
        }
    }

    static boolean mounted(Path dir) throws Exception {
        String path = dir.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(line -> line.split(" ")[4].equals(path));
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path path : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
