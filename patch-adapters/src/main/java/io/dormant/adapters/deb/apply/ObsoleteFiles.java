package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the files an old version had and its successor lacks, as dpkg does after unpacking:
 * never a path another package also lists, never a conffile (dpkg keeps obsolete ones), and a
 * directory only when it is empty.
 */
final class ObsoleteFiles {

    private final RootedFiles image;
    private final FileOwners owners;

    ObsoleteFiles(FileOwners owners, RootedFiles image) {
        this.image = image;
        this.owners = owners;
    }

    List<String> remove(String packageName, List<String> oldPaths, List<String> newPaths, List<DebConffile> conffiles)
            throws IOException {
        Set<String> kept = new HashSet<>(newPaths);
        conffiles.forEach(c -> kept.add(c.path()));
        List<String> candidates = new ArrayList<>();
        for (String path : oldPaths) {
            if (!path.equals("/.") && !kept.contains(path) && ownedOnlyBy(path, packageName)) {
                candidates.add(path);
            }
        }
        candidates.sort(Comparator.reverseOrder());
        List<String> removed = new ArrayList<>();
        for (String path : candidates) {
            Path host = image.resolve(path, false);
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.delete(host);
                removed.add(path);
            } catch (DirectoryNotEmptyException e) {
                // still holds files of other packages or of the admin: dpkg leaves it too
            }
        }
        return removed;
    }

    private boolean ownedOnlyBy(String path, String packageName) throws IOException {
        Set<String> holders = owners.holders(path);
        return holders.isEmpty() || holders.equals(Set.of(packageName));
    }
}
