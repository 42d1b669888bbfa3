package io.dormant.adapters.deb;

import io.dormant.library.tree.TreeEntry;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The read side of an image as the dpkg database needs it, so that the same code reads a
 * workspace in the engine and a plain directory in tests. Paths are absolute within the image
 * ("/var/lib/dpkg/status") and are resolved inside it, never on the host.
 */
public interface ImageFiles {

    InputStream read(String path) throws IOException;

    boolean exists(String path) throws IOException;

    /** The names in a directory, sorted. */
    List<String> list(String dir) throws IOException;

    default byte[] readAllBytes(String path) throws IOException {
        try (InputStream in = read(path)) {
            return in.readAllBytes();
        }
    }

    /** A workspace, which resolves symlinks inside the image itself. */
    static ImageFiles of(Workspace workspace) {
        return new ImageFiles() {
            @Override
            public InputStream read(String path) throws IOException {
                return workspace.read(path);
            }

            @Override
            public boolean exists(String path) throws IOException {
                return workspace.exists(path);
            }

            @Override
            public List<String> list(String dir) throws IOException {
                return workspace.list(dir).stream().map(TreeEntry::nameString).sorted().toList();
            }
        };
    }

    /** A directory on the host holding an image's tree; symlinks on the way are refused, not followed. */
    static ImageFiles of(Path root) {
        return new HostImageFiles(root);
    }
}
