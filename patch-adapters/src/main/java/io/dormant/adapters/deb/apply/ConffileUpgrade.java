package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebMd5sums;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What dpkg does with a package's conffiles around its unpack, beyond placing the ones its archive
 * ships (src/main/unpack.c):
 * <ul>
 * <li>A conffile's recorded hash comes from the package that has the path in its file list and
 *     lists it as a conffile (deb_parse_conffiles): the old version, or another package the
 *     conffile moved from; "newconffile" when none does.</li>
 * <li>A conffile the new version marks {@code remove-on-upgrade} is removed when unchanged, or
 *     renamed to {@code .dpkg-old} when the admin changed it, unless another package owns the path
 *     (pkg_remove_conffile_on_upgrade). It stays recorded with that flag until an upgrade that no
 *     longer names it.</li>
 * <li>A conffile of the old version that the new one no longer has is kept, and recorded as
 *     obsolete and in the new file list, only while it is in the old file list, on disk and not a
 *     directory (pkg_remove_old_files). Otherwise its record goes.</li>
 * </ul>
 * The recorded list is in dpkg's order: the control file's conffiles, then the obsolete ones in
 * the reverse order of the old file list.
 */
final class ConffileUpgrade {

    static final String NEW_CONFFILE = "newconffile";

    private final RootedFiles image;
    private final DpkgDatabase database;
    private final FileOwners files;

    ConffileUpgrade(RootedFiles image, DpkgDatabase database, FileOwners files) {
        this.image = image;
        this.database = database;
        this.files = files;
    }

    /** The conffiles after the unpack, and the obsolete ones the new file list keeps. */
    record Recorded(List<DebConffile> conffiles, List<String> obsoletePaths) {
    }

    /**
     * The hash dpkg holds for each conffile the new version declares, before its unpack: what the
     * unpack compares the file on disk with.
     */
    List<DebConffile> recordedBefore(DebPackage pkg, List<DebConffile> oldConffiles, List<String> oldList)
            throws IOException {
        Set<String> oldPaths = new HashSet<>(oldList);
        List<DebConffile> out = new ArrayList<>();
        for (DebConffile declared : pkg.conffiles()) {
            out.add(declared.withHash(recordedHash(pkg.name(), declared.path(), oldConffiles, oldPaths)));
        }
        return out;
    }

    /** Removes or sets aside the conffiles the new version marks remove-on-upgrade; returns those removed. */
    List<String> removeMarked(DebPackage pkg, List<DebConffile> before) throws IOException {
        List<String> removed = new ArrayList<>();
        for (DebConffile conffile : before) {
            if (!conffile.removeOnUpgrade() || ownedByAnother(conffile.path(), pkg.name())) {
                continue;
            }
            Path host;
            try {
                host = image.resolve(conffile.path(), true);
            } catch (IOException e) {
                continue; // dpkg cannot dereference it either, and leaves it
            }
            Files.deleteIfExists(DebUnpacker.suffixed(host, ".dpkg-dist"));
            int type = Lstat.type(host);
            if (type != Posix.S_IFREG) {
                continue; // gone already (the admin removed it), or not a file dpkg would hash
            }
            if (DebMd5sums.of(host).equals(conffile.hash())) {
                Files.delete(host);
                removed.add(conffile.path());
            } else {
                Files.move(host, DebUnpacker.suffixed(host, ".dpkg-old"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return removed;
    }

    /** The conffiles dpkg records once the package is unpacked. */
    Recorded afterUnpack(List<DebConffile> before, UnpackResult unpacked, List<DebConffile> oldConffiles,
                         List<String> oldList) throws IOException {
        Map<String, DebConffile> placed = new HashMap<>();
        unpacked.conffiles().forEach(c -> placed.put(c.path(), c));
        List<DebConffile> conffiles = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        for (DebConffile conffile : before) {
            declared.add(conffile.path());
            conffiles.add(placed.getOrDefault(conffile.path(), conffile));
        }
        Map<String, DebConffile> old = new HashMap<>();
        oldConffiles.forEach(c -> old.putIfAbsent(c.path(), c));
        Set<String> shipped = new HashSet<>(unpacked.paths());
        List<String> obsolete = new ArrayList<>();
        for (int i = oldList.size() - 1; i >= 0 && !old.isEmpty(); i--) {
            String path = oldList.get(i);
            DebConffile previous = old.get(path);
            if (previous == null || declared.contains(path) || shipped.contains(path) || !presentFile(path)) {
                continue;
            }
            conffiles.add(new DebConffile(path, previous.hash(), true, false));
            obsolete.add(path);
        }
        return new Recorded(conffiles, obsolete);
    }

    private boolean presentFile(String path) {
        try {
            int type = Lstat.type(image.resolve(path, false));
            return type != 0 && type != Posix.S_IFDIR;
        } catch (IOException e) {
            return false; // a parent is missing or not a directory: dpkg's lstat fails the same way
        }
    }

    private String recordedHash(String packageName, String path, List<DebConffile> oldConffiles, Set<String> oldPaths)
            throws IOException {
        if (oldPaths.contains(path)) {
            Optional<DebConffile> own = oldConffiles.stream().filter(c -> c.path().equals(path)).findFirst();
            if (own.isPresent()) {
                return own.get().hash();
            }
        }
        String found = NEW_CONFFILE;
        for (String holder : files.holders(path)) {
            if (holder.equals(packageName)) {
                continue;
            }
            Optional<DpkgStatusEntry> other = database.entry(holder);
            Optional<DebConffile> listed = other.isEmpty() ? Optional.empty()
                    : other.get().conffiles().stream().filter(c -> c.path().equals(path)).findFirst();
            if (listed.isPresent()) {
                found = listed.get().hash();
            }
        }
        return found;
    }

    private boolean ownedByAnother(String path, String packageName) throws IOException {
        return files.holders(path).stream().anyMatch(holder -> !holder.equals(packageName));
    }
}
