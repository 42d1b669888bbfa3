package io.dormant.adapters.confine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An overlayfs mount of a read-only lower dir (a cached checkout of a base version) under an upper
 * and a work dir, so that a confined script sees the whole image and writes only the upper dir,
 * which is then the change. Needs root; uses util-linux {@code mount} and {@code umount}.
 * Close unmounts, lazily if the mount is busy; the upper dir stays for the caller to read.
 */
public final class OverlayMount implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path lower;
    /** The data-only layer that the lower dir's stubs read from, or null. */
    private final Path data;
    private final Path upper;
    private final Path work;
    private final Path merged;
    private boolean mounted;

    private OverlayMount(Path lower, Path data, Path upper, Path work, Path merged) {
        this.lower = lower;
        this.data = data;
        this.upper = upper;
        this.work = work;
        this.merged = merged;
    }

    /** Mounts {@code lower} with {@code upper}, {@code work} and {@code merged} made under {@code scratch}. */
    public static OverlayMount mount(Path lower, Path scratch) throws IOException {
        return mount(lower, null, scratch);
    }

    /**
     * Mounts {@code lower}, whose stubs read their data from {@code data} (a data-only lower layer;
     * null for none), with {@code upper}, {@code work} and {@code merged} made under {@code scratch}.
     */
    public static OverlayMount mount(Path lower, Path data, Path scratch) throws IOException {
        return mount(lower, data, scratch.resolve("upper"), scratch.resolve("work"), scratch.resolve("merged"));
    }

    /**
     * Mounts {@code lower} at {@code merged}. The upper and work dirs are created if missing and must
     * be on one file system; the work dir must be empty. The lower dir is never written.
     */
    public static OverlayMount mount(Path lower, Path upper, Path work, Path merged) throws IOException {
        return mount(lower, null, upper, work, merged);
    }

    private static OverlayMount mount(Path lower, Path data, Path upper, Path work, Path merged) throws IOException {
        if (!Files.isDirectory(lower)) {
            throw new ConfineException("cannot mount an overlay: the lower dir " + lower + " is not a directory");
        }
        if (data != null && !Files.isDirectory(data)) {
            throw new ConfineException("cannot mount an overlay: its data layer " + data + " is not a directory");
        }
        for (Path dir : List.of(upper, work, merged)) {
            Files.createDirectories(dir);
        }
        OverlayMount mount = new OverlayMount(lower.toRealPath(), data == null ? null : data.toRealPath(),
                upper.toRealPath(), work.toRealPath(), merged.toRealPath());
        mount.checkPaths();
        run(List.of("mount", "-t", "overlay", "overlay", "-o", mount.options(), mount.merged.toString()),
                "cannot mount the overlay of " + mount.describe());
        mount.mounted = true;
        return mount;
    }

    /** Where the image is seen whole, lower dir under upper dir. */
    public Path merged() {
        return merged;
    }

    /** Where every write through {@link #merged()} lands. */
    public Path upper() {
        return upper;
    }

    public Path lower() {
        return lower;
    }

    /** What the upper dir holds against the lower dir, by image path; valid mounted or after close. */
    public List<OverlayChange> changes() throws IOException {
        return OverlayChanges.list(upper, lower);
    }

    /** The {@code -o} value for mount(8); paths are checked for characters it would split on. */
    String options() {
        return "lowerdir=" + lower + (data == null ? "" : "::" + data) + ",upperdir=" + upper + ",workdir=" + work;
    }

    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        String normal = tryCommand(List.of("umount", merged.toString()));
        if (normal != null) {
            String lazy = tryCommand(List.of("umount", "--lazy", merged.toString()));
            if (lazy != null) {
                throw new ConfineException("cannot unmount the overlay of " + describe() + ": " + normal.strip()
                        + "; a lazy unmount failed too: " + lazy.strip()
                        + ". Check with 'findmnt " + merged + "' and unmount it by hand before reusing " + upper);
            }
        }
        mounted = false;
    }

    private void checkPaths() throws ConfineException {
        for (Path path : data == null ? List.of(lower, upper, work, merged) : List.of(lower, data, upper, work, merged)) {
            String text = path.toString();
            if (text.contains(",") || text.contains(":") || text.contains("\\") || text.chars().anyMatch(c -> c < ' ')) {
                throw new ConfineException("cannot mount an overlay over " + path
                        + ": overlayfs options cannot carry ',', ':', '\\' or control characters; use another scratch dir");
            }
        }
        try {
            if (!Files.getFileStore(upper).equals(Files.getFileStore(work))) {
                throw new ConfineException("cannot mount an overlay: upper dir " + upper + " and work dir " + work
                        + " are on different file systems; overlayfs needs them on one");
            }
            try (var entries = Files.list(work)) {
                if (entries.findAny().isPresent()) {
                    throw new ConfineException("cannot mount an overlay: the work dir " + work + " is not empty");
                }
            }
        } catch (ConfineException e) {
            throw e;
        } catch (IOException e) {
            throw new ConfineException("cannot check the overlay dirs of " + describe() + ": " + e.getMessage(), e);
        }
    }

    private String describe() {
        return "lower " + lower + (data == null ? "" : " (data " + data + ")") + ", upper " + upper + ", work " + work + " at " + merged;
    }

    private static void run(List<String> command, String failure) throws ConfineException {
        String error = tryCommand(command);
        if (error != null) {
            throw new ConfineException(failure + ": " + error.strip() + " (mounting an overlay needs root and overlayfs)");
        }
    }

    /** Runs a command; null on success, else what it said. */
    private static String tryCommand(List<String> command) throws ConfineException {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s";
            }
            return process.exitValue() == 0 ? null
                    : String.join(" ", command) + " exited " + process.exitValue() + ": "
                            + new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfineException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfineException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
