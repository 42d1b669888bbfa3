package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the files an old version had and its successor lacks, as dpkg does after unpacking:
 * never a path another package also lists, never a conffile (dpkg keeps obsolete ones), and a
 * directory only when it is empty.
 */
final class ObsoleteFiles {

    private final RootedFiles image;
    private final DpkgDatabase database;
    /*
     * Every package's file list, read at the first path that may go: most upgrades drop no path,
     * and reading a few hundred lists costs a tenth of a second. Read then, it is the database as
     * dpkg has it at that point, with the lists of the packages unpacked before.
     */
    private Map<String, Set<String>> owners;

    ObsoleteFiles(DpkgDatabase database, RootedFiles image) {
        this.image = image;
        this.database = database;
    }

    private Map<String, Set<String>> owners() throws IOException {
        if (owners == null) {
            Map<String, Set<String>> read = new HashMap<>();
            for (DpkgStatusEntry entry : database.status()) {
                for (String path : database.fileList(entry.infoName())) {
                    read.computeIfAbsent(path, p -> new HashSet<>()).add(entry.name());
                }
            }
            owners = read;
        }
        return owners;
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
        if (owners != null) {
            for (String path : newPaths) {
                owners.computeIfAbsent(path, p -> new HashSet<>()).add(packageName);
            }
        }
        return removed;
    }

    /** The packages whose file lists have the path, as dpkg's database has them now. */
    Set<String> holders(String path) throws IOException {
        return owners().getOrDefault(path, Set.of());
    }

    private boolean ownedOnlyBy(String path, String packageName) throws IOException {
        Set<String> holders = holders(path);
        return holders.isEmpty() || holders.equals(Set.of(packageName));
    }
}
