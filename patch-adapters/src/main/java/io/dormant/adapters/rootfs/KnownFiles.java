package io.dormant.adapters.rootfs;

import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The image files whose behaviour an emulation follows, each checked by its SHA-256. */
public final class KnownFiles {

    private KnownFiles() {
    }

    /** The first of {@code known} (image path to SHA-256) that is missing or has other content; empty when all match. */
    public static Optional<String> firstDiffering(RootedFiles image, Map<String, String> known) throws IOException {
        for (var entry : known.entrySet()) {
            Path file = image.resolve(entry.getKey(), true);
            if (!Files.isRegularFile(file) || !ObjectId.hashFile(file).hex().equals(entry.getValue())) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }
}
