package io.dormant.adapters.confine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves image paths the way the confined script will see them: every symlink on the way is read
 * and followed inside the image root, {@code ..} stops at the root. The result names no symlink, so
 * it is safe as a bubblewrap mount target and, under the root, as a host path.
 */
final class ImagePaths {

    private static final int MAX_LINKS = 40;

    private ImagePaths() {
    }

    /**
     * The canonical form of {@code imagePath} under {@code root}; the last name need not exist.
     * Null when a directory on the way is missing or not a directory.
     */
    static String canonical(Path root, String imagePath) throws IOException {
        Deque<String> pending = new ArrayDeque<>(names(imagePath));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path host = host(root, join(resolved, name));
            if (Files.isSymbolicLink(host)) {
                if (++links > MAX_LINKS) {
                    throw new ConfineException("too many symlinks resolving " + imagePath + " in the image at " + root);
                }
                String target = Files.readSymbolicLink(host).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> targetNames = names(target);
                for (int i = targetNames.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetNames.get(i));
                }
                continue;
            }
            boolean last = pending.isEmpty();
            if (!last && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            resolved.add(name);
        }
        return join(resolved, null);
    }

    /** The host path of a canonical image path. */
    static Path host(Path root, String canonical) {
        return canonical.equals("/") ? root : root.resolve(canonical.substring(1));
    }

    private static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    private static String join(List<String> names, String extra) {
        StringBuilder path = new StringBuilder();
        for (String name : names) {
            path.append('/').append(name);
        }
        if (extra != null) {
            path.append('/').append(extra);
        }
        return path.length() == 0 ? "/" : path.toString();
    }
}
