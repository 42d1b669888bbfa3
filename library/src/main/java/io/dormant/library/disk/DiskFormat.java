package io.dormant.library.disk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The disk image formats Dormant reads through libguestfs, each known by its own magic. The format
 * is always passed to QEMU explicitly: letting QEMU probe an untrusted image is how a raw image
 * posing as qcow2 gets to name a host file as its backing file.
 */
public enum DiskFormat {
    QCOW2("qcow2"),
    VMDK("vmdk"),
    VHDX("vhdx"),
    VDI("vdi"),
    VPC("vpc"),
    RAW("raw");

    /** Enough to see every signature below, including a file system's superblock. */
    static final int SIGNATURE_BYTES = 65_600 + 8;

    private final String qemuName;

    DiskFormat(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name QEMU and libguestfs know the format by. */
    public String qemuName() {
        return qemuName;
    }

    /** The format of {@code file} by its magic, or empty when it is no disk image Dormant knows. */
    public static Optional<DiskFormat> detect(Path file) throws IOException {
        byte[] head = new byte[SIGNATURE_BYTES];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        return matches(Arrays.copyOf(head, read));
    }

    /** The format whose signature {@code head} (the first bytes of a file) carries. */
    static Optional<DiskFormat> matches(byte[] head) {
        if (startsWith(head, 0, new byte[] {'Q', 'F', 'I', (byte) 0xfb})) {
            return Optional.of(QCOW2);
        }
        if (startsWith(head, 0, ascii("KDMV")) || startsWith(head, 0, ascii("# Disk DescriptorFile"))) {
            return Optional.of(VMDK);
        }
        if (startsWith(head, 0, ascii("vhdxfile"))) {
            return Optional.of(VHDX);
        }
        if (startsWith(head, 0x40, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe})) {
            return Optional.of(VDI);
        }
        if (startsWith(head, 0, ascii("conectix"))) {
            return Optional.of(VPC);
        }
        return looksLikeRawDisk(head) ? Optional.of(RAW) : Optional.empty();
    }

    /**
     * A raw image has no header of its own, so it must show a partition table (MBR or GPT) or a
     * file system that libguestfs mounts (ext2/3/4, XFS, Btrfs). Anything else, say a text file, is
     * not taken for a disk.
     */
    private static boolean looksLikeRawDisk(byte[] head) {
        boolean mbr = head.length >= 512 && head[510] == 0x55 && head[511] == (byte) 0xaa;
        boolean gpt = startsWith(head, 512, ascii("EFI PART"));
        boolean ext = head.length > 1081 && head[1080] == 0x53 && head[1081] == (byte) 0xef;
        boolean xfs = startsWith(head, 0, ascii("XFSB"));
        boolean btrfs = startsWith(head, 65_600, ascii("_BHRfS_M"));
        return mbr || gpt || ext || xfs || btrfs;
    }

    private static boolean startsWith(byte[] head, int offset, byte[] magic) {
        return head.length >= offset + magic.length
                && Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
