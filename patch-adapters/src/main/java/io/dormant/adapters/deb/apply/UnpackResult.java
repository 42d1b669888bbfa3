package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import java.util.List;

/**
 * What unpacking one package's data archive did: its paths in archive order (dpkg's .list),
 * the conffiles with the hash of the version the package ships, and what happened to files.
 * {@code filtered} are the listed paths the image's dpkg path filters kept from being unpacked.
 * {@code generatedMd5sums} is dpkg's md5sums file made from the unpacked files, for a package that
 * ships none; null otherwise.
 */
record UnpackResult(List<String> paths, List<DebConffile> conffiles, List<String> added, List<String> changed,
                    List<String> keptConffiles, List<String> filtered, List<String> warnings, byte[] generatedMd5sums) {

    /** The listed paths that the unpack placed or found in place: dpkg keeps these from removal as obsolete. */
    List<String> inArchive() {
        if (filtered.isEmpty()) {
            return paths;
        }
        java.util.Set<String> skipped = new java.util.HashSet<>(filtered);
        return paths.stream().filter(path -> !skipped.contains(path)).toList();
    }
}
