package io.dormant.library.disk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What qemu-img says about an image, and what Dormant refuses in it (the JSON is qemu-img 7.2's). */
class DiskImageFileTest {
    private static final Path IMAGE = Path.of("/srv/images/web.qcow2");

    @Test
    void aSelfContainedImagePasses() {
        assertThatCode(() -> new DiskImageFile(IMAGE, DiskFormat.QCOW2).checkSelfContained("""
                {"virtual-size": 446419456, "filename": "/srv/images/web.qcow2", "format": "qcow2",
                 "format-specific": {"type": "qcow2", "data": {"compat": "1.1"}}, "dirty-flag": false}
                """)).doesNotThrowAnyException();
    }

    @Test
    void aBackingFileIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> new DiskImageFile(IMAGE, DiskFormat.QCOW2).checkSelfContained("""
                {"backing-filename-format": "raw", "filename": "/srv/images/web.qcow2", "format": "qcow2",
                 "full-backing-filename": "/etc/shadow", "backing-filename": "/etc/shadow"}
                """)).isInstanceOf(DiskImageException.class)
                .hasMessage("/srv/images/web.qcow2 has a backing file (/etc/shadow); Dormant imports a disk that stands"
                        + " alone. Flatten it first: qemu-img convert -O qcow2 /srv/images/web.qcow2 flat.qcow2");
    }

    @Test
    void anExternalDataFileIsRefused() {
        assertThatThrownBy(() -> new DiskImageFile(IMAGE, DiskFormat.QCOW2).checkSelfContained("""
                {"filename": "/srv/images/web.qcow2", "format": "qcow2", "format-specific": {"type": "qcow2",
                 "data": {"data-file": "/dev/sda", "data-file-raw": false}}}
                """)).hasMessageContaining("keeps its data in an external file (/dev/sda)");
    }

    @Test
    void aVmdkExtentElsewhereIsRefused() {
        assertThatThrownBy(() -> new DiskImageFile(Path.of("/srv/images/w.vmdk"), DiskFormat.VMDK).checkSelfContained("""
                {"filename": "/srv/images/w.vmdk", "format": "vmdk", "format-specific": {"type": "vmdk", "data": {
                 "extents": [{"filename": "../../etc/passwd", "format": "FLAT"}]}}}
                """)).hasMessageContaining("reads another file (/etc/passwd)");
    }
}
