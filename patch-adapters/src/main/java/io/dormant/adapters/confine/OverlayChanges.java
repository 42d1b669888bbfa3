package io.dormant.adapters.confine;

import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads an overlay upper dir as a list of changes against its lower dir. Whiteouts are char
 * devices 0:0, opaque directories carry {@code trusted.overlay.opaque=y}. A directory that exists
 * in the lower dir with the same mode and owner was only copied up to hold a changed child, so it
 * is not a change of its own. The lower dir is walked beside the upper one, one verified directory
 * at a time, so no image symlink is ever followed on the host.
 */
final class OverlayChanges {

    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private final List<OverlayChange> changes = new ArrayList<>();

    private OverlayChanges() {
    }

    /** The changes in {@code upper} against {@code lower}, sorted by path. */
    static List<OverlayChange> list(Path upper, Path lower) throws IOException {
        OverlayChanges walk = new OverlayChanges();
        walk.directory(upper, lower, "");
        walk.changes.sort(Comparator.comparing(OverlayChange::path));
        return List.copyOf(walk.changes);
    }

    private void directory(Path upperDir, Path lowerDir, String imageDir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(upperDir)) {
            stream.forEach(children::add);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String imagePath = imageDir + "/" + name;
            Map<String, Object> stat = stat(child);
            int type = (Integer) stat.get("mode") & Posix.S_IFMT;
            Path lowerChild = lowerDir == null ? null : lowerDir.resolve(name);
            if (type == Posix.S_IFCHR && (Long) stat.get("rdev") == 0L) {
                changes.add(new OverlayChange(imagePath, OverlayChange.Kind.DELETED));
            } else if (type == Posix.S_IFDIR) {
                boolean opaque = isOpaque(child);
                Map<String, Object> lowerStat = lowerChild == null ? null : statOrNull(lowerChild);
                boolean lowerIsDir = lowerStat != null && ((Integer) lowerStat.get("mode") & Posix.S_IFMT) == Posix.S_IFDIR;
                if (opaque) {
                    changes.add(new OverlayChange(imagePath, OverlayChange.Kind.OPAQUE_DIR));
                } else if (!lowerIsDir || !sameModeAndOwner(stat, lowerStat)) {
                    changes.add(new OverlayChange(imagePath, OverlayChange.Kind.ADDED_OR_CHANGED));
                }
                directory(child, opaque || !lowerIsDir ? null : lowerChild, imagePath);
            } else {
                changes.add(new OverlayChange(imagePath, OverlayChange.Kind.ADDED_OR_CHANGED));
            }
        }
    }

    private static boolean isOpaque(Path dir) throws IOException {
        byte[] value = Posix.listXattrs(dir).get(OPAQUE_XATTR);
        return value != null && Arrays.equals(value, new byte[] {'y'});
    }

    private static boolean sameModeAndOwner(Map<String, Object> a, Map<String, Object> b) {
        return a.get("mode").equals(b.get("mode")) && a.get("uid").equals(b.get("uid")) && a.get("gid").equals(b.get("gid"));
    }

    private static Map<String, Object> stat(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static Map<String, Object> statOrNull(Path path) throws IOException {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? stat(path) : null;
    }
}
