package io.dormant.engine.patching;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an apply keeps its throw-away files (the overlay's upper and work directories, the
 * decompressed data archives). Nothing there needs to survive a crash, so by default it is a
 * memory file system when one with room is there: on the store's disk, those files would be
 * flushed by the check-in's syncfs for nothing, and removing them would cost disk time too.
 * {@code DORMANT_SCRATCH} names a directory instead. The CLI and the engine's workflows choose
 * alike, so that an apply takes the same time either way.
 */
public final class ApplyScratch {

    public static final String VARIABLE = "DORMANT_SCRATCH";
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    /** Room a memory file system must have to be chosen: well above what a large update set unpacks. */
    private static final long MIN_FREE = 4L << 30;

    private ApplyScratch() {
    }

    /** The scratch parent for applies of the library at {@code home}. */
    public static Path choose(Map<String, String> environment, Path home) {
        String configured = environment.get(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)
                    && "tmpfs".equals(Files.getFileStore(SHARED_MEMORY).type())
                    && Files.getFileStore(SHARED_MEMORY).getUsableSpace() >= MIN_FREE) {
                return SHARED_MEMORY.resolve("dormant-scratch-" + System.getProperty("user.name"));
            }
        } catch (IOException e) {
            // no usable memory file system: the default below
        }
        return home.resolve("scratch");
    }
}
