package io.dormant.adapters.confine;

import io.dormant.library.fs.HostTrees;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether this kernel's overlayfs reads a stub's data from a data-only lower layer (Linux 6.5 and
 * later): mounts a one-file overlay of that kind in a scratch directory and reads the file back.
 * A kernel without the feature refuses the mount; one that mounted it but showed the stub's zeros
 * would be worse, so the bytes are compared, not only the mount's exit. Asked once per process.
 */
public final class DataLayerProbe {

    /** {@code DORMANT_CHECKOUT_STUBS=0} checks out whole files even where stubs work. */
    public static final String VARIABLE = "DORMANT_CHECKOUT_STUBS";
    private static final byte[] CONTENT = "read from the data layer\n".getBytes(StandardCharsets.US_ASCII);
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static volatile Boolean works;

    private DataLayerProbe() {
    }

    /** Whether checkouts with stubs can be used, probing under {@code scratchParent} the first time. */
    public static boolean works(Path scratchParent, java.util.Map<String, String> environment) {
        if ("0".equals(environment.get(VARIABLE))) {
            return false;
        }
        Boolean known = works;
        if (known == null) {
            synchronized (DataLayerProbe.class) {
                known = works;
                if (known == null) {
                    known = remembered(scratchParent);
                    works = known;
                }
            }
        }
        return known;
    }

    /**
     * The answer of an earlier process since the machine booted (the kernel cannot change without a
     * reboot), or a new probe's: the mount and unmount start two processes, about 45 ms of every
     * apply in a process of its own.
     */
    private static boolean remembered(Path scratchParent) {
        Path memo;
        try {
            memo = scratchParent.resolve(".data-layers-" + Files.readString(BOOT_ID).strip());
            if (Files.isRegularFile(memo)) {
                return Files.readString(memo).strip().equals("yes");
            }
        } catch (IOException | RuntimeException e) {
            return probe(scratchParent);
        }
        boolean answer = probe(scratchParent);
        try {
            Path partial = Files.createTempFile(scratchParent, ".data-layers-", ".tmp");
            Files.writeString(partial, answer ? "yes\n" : "no\n");
            Files.move(partial, memo, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // asked again by the next process
        }
        return answer;
    }

    private static boolean probe(Path scratchParent) {
        Path dir = null;
        try {
            Files.createDirectories(scratchParent);
            dir = Files.createTempDirectory(scratchParent, "data-layer-probe-");
            Path object = Files.createDirectories(dir.resolve("data/ab")).resolve("cdef");
            Files.write(object, CONTENT);
            Path stub = Files.createDirectories(dir.resolve("lower")).resolve("file");
            try (RandomAccessFile file = new RandomAccessFile(stub.toFile(), "rw")) {
                file.setLength(CONTENT.length);
            }
            Posix.setXattr(stub, "trusted.overlay.metacopy", new byte[0]);
            Posix.setXattr(stub, "trusted.overlay.redirect", "/ab/cdef".getBytes(StandardCharsets.US_ASCII));
            try (OverlayMount overlay = OverlayMount.mount(dir.resolve("lower"), dir.resolve("data"), dir.resolve("overlay"))) {
                return Arrays.equals(Files.readAllBytes(overlay.merged().resolve("file")), CONTENT);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (dir != null) {
                HostTrees.removeQuietly(dir);
            }
        }
    }
}
