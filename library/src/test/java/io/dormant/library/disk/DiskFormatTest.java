package io.dormant.library.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiskFormatTest {

    @Test
    void eachFormatIsKnownByItsMagic() {
        assertThat(DiskFormat.matches(head(0, new byte[] {'Q', 'F', 'I', (byte) 0xfb}))).contains(DiskFormat.QCOW2);
        assertThat(DiskFormat.matches(head(0, ascii("KDMV")))).contains(DiskFormat.VMDK);
        assertThat(DiskFormat.matches(head(0, ascii("# Disk DescriptorFile")))).contains(DiskFormat.VMDK);
        assertThat(DiskFormat.matches(head(0, ascii("vhdxfile")))).contains(DiskFormat.VHDX);
        assertThat(DiskFormat.matches(head(0x40, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe}))).contains(DiskFormat.VDI);
        assertThat(DiskFormat.matches(head(0, ascii("conectix")))).contains(DiskFormat.VPC);
    }

    @Test
    void aRawDiskMustShowAPartitionTableOrAFileSystem() {
        assertThat(DiskFormat.matches(head(510, new byte[] {0x55, (byte) 0xaa}))).contains(DiskFormat.RAW);
        assertThat(DiskFormat.matches(head(512, ascii("EFI PART")))).contains(DiskFormat.RAW);
        assertThat(DiskFormat.matches(head(1080, new byte[] {0x53, (byte) 0xef}))).contains(DiskFormat.RAW);
        assertThat(DiskFormat.matches(head(0, ascii("XFSB")))).contains(DiskFormat.RAW);
        assertThat(DiskFormat.matches(head(65_600, ascii("_BHRfS_M")))).contains(DiskFormat.RAW);
    }

    @Test
    void otherFilesAreNoDisks() {
        assertThat(DiskFormat.matches(ascii("just some text\n"))).isEqualTo(Optional.empty());
        assertThat(DiskFormat.matches(new byte[DiskFormat.SIGNATURE_BYTES])).isEmpty();
        assertThat(DiskFormat.matches(new byte[0])).isEmpty();
        // a truncated file that ends inside a signature is not one
        assertThat(DiskFormat.matches(new byte[] {'Q', 'F', 'I'})).isEmpty();
    }

    private static byte[] head(int offset, byte[] magic) {
        byte[] head = new byte[DiskFormat.SIGNATURE_BYTES];
        System.arraycopy(magic, 0, head, offset, magic.length);
        return head;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
