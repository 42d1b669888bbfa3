package io.dormant.adapters.confine;

import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.adapters.rootfs.SymlinkLoopException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Resolves image paths the way the confined script will see them: every symlink on the way is read
 * and followed inside the image root, {@code ..} stops at the root. The result names no symlink, so
 * it is safe as a bubblewrap mount target and, under the root, as a host path.
 */
final class ImagePaths {

    private ImagePaths() {
    }

    /**
     * The canonical form of {@code imagePath} under {@code root}; the last name need not exist.
     * Null when a directory on the way is missing or not a directory.
     */
    static String canonical(Path root, String imagePath) throws IOException {
        try {
            return new RootedFiles(root).canonical(imagePath);
        } catch (SymlinkLoopException e) {
            throw new ConfineException("too many symlinks resolving " + imagePath + " in the image at " + root, e);
        }
    }

    /** The host path of a canonical image path. */
    static Path host(Path root, String canonical) {
        return canonical.equals("/") ? root : root.resolve(canonical.substring(1));
    }
}
