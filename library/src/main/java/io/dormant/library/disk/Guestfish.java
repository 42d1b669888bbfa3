package io.dormant.library.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the file systems of a disk image through libguestfs' guestfish: it starts a
 * small appliance VM that mounts the image's file systems the way the image's own fstab does, so
 * no host mount and no host kernel driver ever touches an untrusted image.
 */
final class Guestfish {
    static final String TOOL = "guestfish (apt-get install libguestfs-tools)";

    private final Map<String, String> environment;

    Guestfish(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Starts streaming the whole tree of {@code image}, every mounted file system, as a tar with numeric owners and xattrs. */
    HostCommand.Running readTree(DiskImageFile image) throws IOException {
        return new HostCommand(List.of("guestfish", "--ro", "--format=" + image.format().qemuName(), "-a",
                image.path().toString(), "-i", "tar-out", "/", "-", "numericowner:true", "xattrs:true", "selinux:true"),
                environment).start(TOOL);
    }

    /**
     * Removes {@code removals} (image paths without the leading slash) from the image in {@code disk},
     * then extracts {@code tar} over its root, in one appliance run.
     */
    void rewrite(Path disk, DiskFormat format, List<byte[]> removals, Path tar) throws IOException {
        HostCommand.Running running = new HostCommand(List.of("guestfish", "--format=" + format.qemuName(), "-a",
                disk.toString(), "-i"), environment).withInput().start(TOOL);
        try (OutputStream script = running.stdin()) {
            for (byte[] path : removals) {
                script.write(("rm-rf " + quoted(slashed(path)) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            script.write(("tar-in " + quoted(tar.toString().getBytes(StandardCharsets.UTF_8))
                    + " / xattrs:true selinux:true\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // guestfish closed its input: it stopped early, and its error output says why.
            running.finish();
            throw e;
        }
        running.finish();
    }

    /**
     * A guestfish string that holds exactly {@code bytes}: every byte but the plainest ones goes as
     * a hex escape, so no name (quotes, spaces, newlines, bytes that are not UTF-8) can end the
     * string or start another command.
     */
    static String quoted(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '.' || c == '_' || c == '-' || c == '+';
            if (plain) {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.append('"').toString();
    }

    private static byte[] slashed(byte[] path) {
        byte[] out = new byte[path.length + 1];
        out[0] = '/';
        System.arraycopy(path, 0, out, 1, path.length);
        return out;
    }
}
