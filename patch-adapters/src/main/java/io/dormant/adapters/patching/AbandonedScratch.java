package io.dormant.adapters.patching;

import io.dormant.library.fs.HostTrees;
import io.dormant.library.fs.ProcessOwner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The scratch directories of applies whose process ended without removing them: killed
 * ({@code kill -9}, the OOM killer) or halted because its caller went away. Such a directory still
 * has its overlay mounted, and on the default memory file system it holds the unpacked files in
 * memory until the host reboots. Each apply marks its scratch with its owner (process id and start
 * time); the next apply unmounts and removes the scratch of owners that are gone.
 */
final class AbandonedScratch {

    static final String PREFIX = "apply-";
    static final String OWNER = ".owner";
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private AbandonedScratch() {
    }

    /** Marks {@code scratch} as this process's. */
    static void claim(Path scratch) throws IOException {
        Files.writeString(scratch.resolve(OWNER), ProcessOwner.current() + "\n");
    }

    /**
     * Unmounts and removes every scratch directory under {@code parent} whose owner is gone; says
     * what it removed, and what it could not. A directory without an owner mark is left alone: it
     * may belong to an apply that has only just made it.
     */
    static List<String> sweep(Path parent) {
        List<String> said = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return said;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path scratch : entries) {
                Optional<ProcessOwner> owner = owner(scratch);
                if (owner.isEmpty() || owner.get().alive()) {
                    continue;
                }
                String problem = unmountBeneath(scratch);
                if (problem != null) {
                    said.add("the scratch directory " + scratch + " of an interrupted apply (process "
                            + owner.get().pid() + ") is still mounted and was left: " + problem);
                    continue;
                }
                HostTrees.removeQuietly(scratch);
                said.add("removed the scratch directory " + scratch + " of an interrupted apply (process "
                        + owner.get().pid() + ", no longer running)");
            }
        } catch (IOException e) {
            said.add("cannot look for the scratch of interrupted applies in " + parent + ": " + e.getMessage());
        }
        return said;
    }

    private static Optional<ProcessOwner> owner(Path scratch) {
        try {
            return ProcessOwner.parse(Files.readString(scratch.resolve(OWNER), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Unmounts, deepest first, what is mounted at or below {@code dir}; null when nothing is left mounted. */
    private static String unmountBeneath(Path dir) {
        try {
            List<String> mounts = mountPointsBeneath(dir.toRealPath().toString());
            mounts.sort(Comparator.comparingInt(String::length).reversed());
            for (String mountPoint : mounts) {
                Process umount = new ProcessBuilder("umount", "--lazy", mountPoint).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                String output = new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!umount.waitFor(60, TimeUnit.SECONDS) || umount.exitValue() != 0) {
                    umount.destroyForcibly();
                    return "umount --lazy " + mountPoint + " failed: " + output + "; unmount it by hand, then remove " + dir;
                }
            }
            return mountPointsBeneath(dir.toRealPath().toString()).isEmpty() ? null
                    : "something is still mounted below it; check with 'findmnt -R " + dir + "'";
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Mount points at or below {@code dir}, from the mount table (field 5, octal escapes decoded). */
    static List<String> mountPointsBeneath(String dir) throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String mountPoint = unescape(fields[4]);
                if (mountPoint.equals(dir) || mountPoint.startsWith(dir + "/")) {
                    found.add(mountPoint);
                }
            }
        }
        return found;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
