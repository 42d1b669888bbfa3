package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DpkgDiversion;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.adapters.rootfs.SymlinkLoopException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the files an old version had and its successor lacks, as dpkg's pkg_remove_old_files does
 * after unpacking, in reverse list order:
 * <ul>
 * <li>a path another package diverts is removed where the diversion put it;</li>
 * <li>a directory that another package lists stays, and one that is not empty stays too;</li>
 * <li>a file that is one of the new version's files under another name stays: with merged /usr,
 *     {@code /lib/x} and {@code /usr/lib/x} are one file, and a package that moves its files from
 *     the one to the other must not lose them;</li>
 * <li>obsolete conffiles stay (dpkg keeps them), and so does what the new version lists.</li>
 * </ul>
 * A file another package also lists is removed, as dpkg removes it: dpkg only asks about
 * directories.
 */
final class ObsoleteFiles {

    private final RootedFiles image;
    private final FileOwners owners;
    private final Diversions diversions;

    ObsoleteFiles(FileOwners owners, RootedFiles image, List<DpkgDiversion> diversions) {
        this.image = image;
        this.owners = owners;
        this.diversions = new Diversions(diversions);
    }

    /**
     * What went, named as on disk (a diverted path by where the diversion put it), and the paths
     * that activate file triggers: dpkg activates a directory it tries to remove even when it stays.
     */
    record Removed(List<String> paths, List<String> activating) {
    }

    /**
     * @param keep   the paths the new version keeps from removal: those it lists, its conffiles
     * @param onDisk the new version's paths that its unpack placed (none that a path filter left out)
     */
    Removed remove(String packageName, List<String> oldPaths, List<String> keep, List<String> onDisk,
                   List<DebConffile> conffiles) throws IOException {
        Set<String> kept = new HashSet<>(keep);
        conffiles.forEach(c -> kept.add(c.path()));
        List<String> removed = new ArrayList<>();
        List<String> activating = new ArrayList<>();
        Set<Object> newFiles = null;
        for (int i = oldPaths.size() - 1; i >= 0; i--) {
            String path = oldPaths.get(i);
            if (path.equals("/.") || kept.contains(path)) {
                continue;
            }
            String use = diversions.pathFor(path, packageName);
            if (isDirectory(use) && usedByOthers(path, packageName)) {
                continue;
            }
            Path host;
            BasicFileAttributes old;
            try {
                host = image.resolve(use, false);
                old = attributes(host);
            } catch (SymlinkLoopException e) {
                continue; // dpkg skips an old path it cannot reach (ELOOP)
            }
            if (old == null) {
                continue;
            }
            if (old.isDirectory()) {
                activating.add(use);
                try {
                    Files.delete(host);
                    removed.add(use);
                } catch (DirectoryNotEmptyException e) {
                    // still holds files of other packages or of the admin: dpkg leaves it too
                }
                continue;
            }
            if (newFiles == null) {
                newFiles = fileKeys(onDisk);
            }
            if (newFiles.contains(old.fileKey())) {
                continue;
            }
            activating.add(use);
            Files.delete(host);
            removed.add(use);
        }
        return new Removed(removed, activating);
    }

    /** dpkg's stat: the path with its last link followed, inside the image. */
    private boolean isDirectory(String path) throws IOException {
        try {
            return Files.isDirectory(image.resolve(path, true), LinkOption.NOFOLLOW_LINKS);
        } catch (SymlinkLoopException e) {
            return false;
        }
    }

    private boolean usedByOthers(String path, String packageName) throws IOException {
        for (String holder : owners.holders(path)) {
            if (!holder.equals(packageName)) {
                return true;
            }
        }
        return false;
    }

    /** The identities (device and inode) of the new version's files, to know an old name of one of them. */
    private Set<Object> fileKeys(List<String> paths) throws IOException {
        Set<Object> keys = new HashSet<>();
        for (String path : paths) {
            BasicFileAttributes attributes;
            try {
                attributes = attributes(image.resolve(path, false));
            } catch (SymlinkLoopException e) {
                continue;
            }
            if (attributes != null && attributes.fileKey() != null) {
                keys.add(attributes.fileKey());
            }
        }
        return keys;
    }

    private static BasicFileAttributes attributes(Path host) throws IOException {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.FileSystemException e) {
            // dpkg skips a path that is gone, whose parent is not a directory (ENOTDIR) or that loops (ELOOP)
            return null;
        }
    }
}
