package io.dormant.library.disk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imported disk an export builds on: it must be there, unwritten, and not the export's target. */
class DiskOriginTest {
    @TempDir
    Path dir;

    @Test
    void aDiskAsImportedPasses() throws Exception {
        DiskOrigin origin = DiskOrigin.of(new DiskImageFile(disk(), DiskFormat.QCOW2));
        assertThatCode(() -> origin.checkUnchanged("web@1")).doesNotThrowAnyException();
        assertThatCode(() -> origin.checkNotReplacedBy(dir.resolve("web-2.qcow2"))).doesNotThrowAnyException();
    }

    @Test
    void aWriteIsSeenEvenWhenTheMtimeIsSetBack() throws Exception {
        Path disk = disk();
        DiskOrigin origin = DiskOrigin.of(new DiskImageFile(disk, DiskFormat.QCOW2));
        var mtime = Files.getLastModifiedTime(disk);
        Thread.sleep(20);
        Files.write(disk, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(disk, mtime);

        assertThatThrownBy(() -> origin.checkUnchanged("web@1")).isInstanceOf(DiskImageException.class)
                .hasMessageStartingWith("the disk image " + disk + " changed since web@1 was imported from it");
    }

    @Test
    void aMissingDiskSaysWhatToDo() throws Exception {
        Path disk = disk();
        DiskOrigin origin = DiskOrigin.of(new DiskImageFile(disk, DiskFormat.QCOW2));
        Files.delete(disk);

        assertThatThrownBy(() -> origin.checkUnchanged("web@1")).hasMessageContaining("which is gone")
                .hasMessageContaining("export as dir or tar");
    }

    @Test
    void theExportMayNotReplaceTheDiskItBuildsOn() throws Exception {
        Path disk = disk();
        DiskOrigin origin = DiskOrigin.of(new DiskImageFile(disk, DiskFormat.QCOW2));
        Path link = Files.createSymbolicLink(dir.resolve("alias.qcow2"), disk);

        assertThatThrownBy(() -> origin.checkNotReplacedBy(dir.resolve("sub/../web.qcow2")))
                .hasMessageContaining("is the disk image the export builds on");
        assertThatThrownBy(() -> origin.checkNotReplacedBy(link)).hasMessageContaining("is the disk image the export builds on");
    }

    private Path disk() throws Exception {
        Path disk = dir.resolve("web.qcow2");
        Files.write(disk, new byte[] {'Q', 'F', 'I', (byte) 0xfb});
        return disk.toAbsolutePath().normalize();
    }
}
