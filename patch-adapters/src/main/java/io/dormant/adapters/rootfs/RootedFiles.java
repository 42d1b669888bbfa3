package io.dormant.adapters.rootfs;

import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Image paths mapped onto a host directory that holds an image tree (an overlay's merged view),
 * with every symlink of the image resolved inside that tree: an absolute target starts at the
 * image root, and {@code ..} stops there. The host path returned has no symlink left among its
 * parents, so operating on it with {@code NOFOLLOW_LINKS} can never leave the tree.
 */
public final class RootedFiles {

    private static final int MAX_SYMLINKS = 40;

    private final Path root;

    public RootedFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * The host path of an image path, following the image's symlinks in every parent; the last
     * component is followed too when {@code followLast} (directories that are symlinks, such as
     * the {@code /bin -> usr/bin} of a merged-/usr image).
     */
    public Path resolve(String imagePath, boolean followLast) throws IOException {
        return host(walk(imagePath, followLast, false));
    }

    /**
     * The canonical image path of {@code imagePath}: every symlink on the way, the last one
     * included, followed inside the image. Null when a directory on the way is missing or is not
     * a directory; the last name need not exist.
     */
    public String canonical(String imagePath) throws IOException {
        List<String> names = walk(imagePath, true, true);
        return names == null ? null : "/" + String.join("/", names);
    }

    private List<String> walk(String imagePath, boolean followLast, boolean requireDirectories) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(imagePath));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pollFirst();
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = host(resolved).resolve(part);
            boolean last = pending.isEmpty();
            int type = !last || followLast ? Lstat.typeOrNone(candidate) : 0;
            if (type == Posix.S_IFLNK) {
                if (++links > MAX_SYMLINKS) {
                    throw new SymlinkLoopException(imagePath + ": too many levels of symbolic links in the image");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                List<String> expanded = components(target);
                for (int i = expanded.size() - 1; i >= 0; i--) {
                    pending.addFirst(expanded.get(i));
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                continue;
            }
            if (requireDirectories && !last && type != Posix.S_IFDIR) {
                return null;
            }
            resolved.add(part);
        }
        return resolved;
    }

    /** The image path of a host path inside the tree. */
    public String imagePath(Path host) {
        Path relative = root.relativize(host.toAbsolutePath().normalize());
        return "/" + relative.toString();
    }

    public boolean exists(String imagePath) throws IOException {
        return Files.exists(resolve(imagePath, false), LinkOption.NOFOLLOW_LINKS);
    }

    private Path host(List<String> parts) {
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }
}
