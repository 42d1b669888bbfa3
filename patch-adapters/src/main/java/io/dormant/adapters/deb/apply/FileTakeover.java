package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.DebRelations;
import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgDiversion;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A package's file that another installed package also lists, decided as dpkg decides it while
 * unpacking (src/main/archives.c, tarobject): the new package takes the file over when it
 * Replaces the other (whose file list then loses it, and whose conffile of that path becomes
 * obsolete); the installed file stays, and the new package does not list it, when the other
 * Replaces the new one; otherwise the package is refused, naming the file and the package that has
 * it. A file shared by instances of one package, a file of a package of which only configuration
 * files are left, an obsolete conffile of the other taken as a conffile, and a diverted file whose
 * diversion belongs to either side are not conflicts.
 */
final class FileTakeover {

    /** What the unpack does with one file of the archive. */
    enum Decision { PLACE, KEEP_EXISTING }

    private final DpkgDatabase database;
    private final FileOwners owners;
    private final Diversions diversions;

    FileTakeover(DpkgDatabase database, FileOwners owners, List<DpkgDiversion> diversions) {
        this.database = database;
        this.owners = owners;
        this.diversions = new Diversions(diversions);
    }

    /** One package's unpack: remembers, per other package, whether it replaces or is replaced (dpkg says it once). */
    final class Unpack {
        private final DebPackage pkg;
        private final String debFile;
        private final Map<String, Decision> said = new HashMap<>();

        private Unpack(DebPackage pkg, String debFile) {
            this.pkg = pkg;
            this.debFile = debFile;
        }

        /**
         * @param existing     the type of what the image has at the path (0 when nothing)
         * @param newConffile  the path is one of the package's conffiles
         */
        Decision decide(String path, int existing, boolean newConffile) throws IOException {
            Set<String> holders = owners.holders(path);
            if (holders.isEmpty() || holders.size() == 1 && holders.contains(pkg.name())) {
                return Decision.PLACE;
            }
            Decision decision = Decision.PLACE;
            for (String holder : holders) {
                if (holder.equals(pkg.name()) || diversions.divertedBy(path, holder) || diversions.divertedBy(path, pkg.name())) {
                    continue;
                }
                Decision earlier = said.get(holder);
                if (earlier != null) {
                    decision = earlier == Decision.KEEP_EXISTING ? earlier : decision;
                    continue;
                }
                Optional<DpkgStatusEntry> other = database.entry(holder);
                if (other.isEmpty() || other.get().status().state() == DpkgStatus.State.CONFIG_FILES
                        || other.get().status().state() == DpkgStatus.State.NOT_INSTALLED) {
                    continue;
                }
                if (newConffile && existing == Posix.S_IFREG
                        && other.get().conffiles().stream().anyMatch(c -> c.obsolete() && c.path().equals(path))) {
                    continue;
                }
                if (replaces(pkg.relations().get("Replaces"), holder, other.get().version())) {
                    said.put(holder, Decision.PLACE);
                } else if (pkg.version() != null && replaces(other.get().relations("Replaces"), pkg.name(), pkg.version())) {
                    said.put(holder, Decision.KEEP_EXISTING);
                    decision = Decision.KEEP_EXISTING;
                } else {
                    throw refusal(path, existing == Posix.S_IFDIR, other.get());
                }
            }
            return decision;
        }

        /** dpkg's words, then why and what to do. */
        private IOException refusal(String path, boolean directory, DpkgStatusEntry holder) {
            String named = holder.name() + (holder.version() == null ? "" : " (" + holder.version() + ")");
            String what = directory ? "directory '" + path + "' in package " + named + " with nondirectory"
                    : "'" + path + "', which is also in package " + named;
            return new IOException(debFile + ": trying to overwrite " + what + "; the package does not declare 'Replaces: "
                    + holder.name() + "', so dpkg refuses it too. Remove " + holder.name()
                    + " from the image first, or use a package that replaces it");
        }

        /**
         * After the unpack, as dpkg's pkg_remove_files_from_others: every file the package placed
         * leaves the other packages' lists, and a conffile of theirs at that path becomes obsolete.
         */
        void releaseFromOthers(List<String> placed, List<DebConffile> conffiles, DpkgDatabaseUpdater updater)
                throws IOException {
            Set<String> ownConffiles = conffiles.stream().map(DebConffile::path).collect(Collectors.toSet());
            Map<String, Set<String>> given = new HashMap<>();
            for (String path : placed) {
                for (String holder : owners.holders(path)) {
                    if (!holder.equals(pkg.name()) && !diversions.divertedBy(path, holder)) {
                        given.computeIfAbsent(holder, h -> new LinkedHashSet<>()).add(path);
                    }
                }
            }
            for (Map.Entry<String, Set<String>> other : given.entrySet()) {
                // Each instance of a Multi-Arch: same package that lists a path gives it up, as in dpkg.
                for (DpkgStatusEntry instance : database.instances(other.getKey())) {
                    List<String> before = database.fileList(instance.infoName());
                    List<String> after = before.stream().filter(p -> !other.getValue().contains(p)).toList();
                    if (after.size() == before.size()) {
                        continue;
                    }
                    updater.rewriteList(instance.infoName(), after);
                    owners.listed(other.getKey(), before, after);
                    Set<String> conffilesTaken = other.getValue().stream().filter(ownConffiles::contains)
                            .collect(Collectors.toSet());
                    updater.markConffilesObsolete(database, instance, conffilesTaken);
                }
            }
        }
    }

    Unpack of(DebPackage pkg, String debFile) {
        return new Unpack(pkg, debFile);
    }

    /** Whether {@code replaces} names {@code name} at a version range holding {@code version}. */
    private static boolean replaces(DebRelations replaces, String name, DebianVersion version) {
        for (DebRelationGroup group : replaces.groups()) {
            for (DebRelation relation : group.alternatives()) {
                if (relation.name().equals(name) && (relation.op() == null || version != null && relation.acceptsVersion(version))) {
                    return true;
                }
            }
        }
        return false;
    }
}
