package io.dormant.library.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A disk image file that is safe to hand to QEMU: its format is known by its magic, and it reads
 * no other file. A qcow2 backing file, a qcow2 external data file or a VMDK extent elsewhere would
 * let an image someone sent in read any file of this host into the library, so they are refused.
 */
public record DiskImageFile(Path path, DiskFormat format) {

    private static final Pattern FILENAME = Pattern.compile("\"filename\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Opens {@code file} as a disk image, or says why it cannot be one. */
    public static DiskImageFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DiskImageException(file + " is not a regular file");
        }
        DiskFormat format = DiskFormat.detect(file).orElseThrow(() -> new DiskImageException(file
                + " is no disk image Dormant knows: not qcow2, vmdk, vhdx, vdi or vpc, and not a raw disk"
                + " (no partition table, no ext, XFS or Btrfs file system at its start)"));
        DiskImageFile image = new DiskImageFile(file.toAbsolutePath().normalize(), format);
        image.checkSelfContained(HostCommand.qemuImg(List.of("info", "-f", format.qemuName(), "--output=json",
                image.path().toString())));
        return image;
    }

    /** Refuses what would make QEMU open another file than this one; {@code info} is qemu-img's JSON. */
    void checkSelfContained(String info) {
        if (format == DiskFormat.VMDK && startsWithDescriptor()) {
            throw new DiskImageException(path + " is a VMDK descriptor whose data lives in other files; convert it to a"
                    + " single file first: qemu-img convert -O qcow2 " + path + " " + path.getFileName() + ".qcow2");
        }
        if (info.contains("\"backing-filename\"")) {
            throw new DiskImageException(path + " has a backing file (" + field(info, "backing-filename")
                    + "); Dormant imports a disk that stands alone. Flatten it first: qemu-img convert -O qcow2 "
                    + path + " flat.qcow2");
        }
        if (info.contains("\"data-file\"")) {
            throw new DiskImageException(path + " keeps its data in an external file (" + field(info, "data-file")
                    + "); convert it to one file first: qemu-img convert -O qcow2 " + path + " flat.qcow2");
        }
        Matcher names = FILENAME.matcher(info);
        while (names.find()) {
            Path named = path.resolveSibling(unescape(names.group(1))).toAbsolutePath().normalize();
            if (!named.equals(path)) {
                throw new DiskImageException(path + " reads another file (" + named + "); convert it to one file"
                        + " first: qemu-img convert -O qcow2 " + path + " flat.qcow2");
            }
        }
    }

    private boolean startsWithDescriptor() {
        try (var in = Files.newInputStream(path)) {
            return new String(in.readNBytes(21), StandardCharsets.US_ASCII).equals("# Disk DescriptorFile");
        } catch (IOException e) {
            return false;
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? unescape(m.group(1)) : "?";
    }

    private static String unescape(String json) {
        return json.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
