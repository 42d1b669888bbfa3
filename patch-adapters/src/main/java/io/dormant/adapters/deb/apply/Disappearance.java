package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebArchitectureMatch;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.DebRelations;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatus.State;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which installed packages disappear once a package is unpacked, as dpkg's pkg_disappear_others
 * decides (src/main/unpack.c): a package every file of which is now in the unpacked archive or
 * listed by a third package, none of them diverted by either side, and on which no installed
 * package still depends (Depends, Pre-Depends, Recommends, by name or through what it provides)
 * without another configured package or the unpacked one to satisfy it. dpkg then runs its
 * {@code postrm disappear} and forgets it. Only packages that share a path with the archive are
 * considered: one that shares none would have disappeared at an earlier unpack already.
 */
final class Disappearance {

    private final DpkgDatabase database;
    private final FileOwners owners;
    private final Diversions diversions;
    private final DebArchitectureMatch architectures;

    Disappearance(DpkgDatabase database, FileOwners owners, Diversions diversions, DebArchitectureMatch architectures) {
        this.database = database;
        this.owners = owners;
        this.diversions = diversions;
        this.architectures = architectures;
    }

    /** The installed packages {@code pkg} makes disappear, having unpacked {@code inArchive}. */
    List<DpkgStatusEntry> after(DebPackage pkg, Collection<String> inArchive) throws IOException {
        Set<String> archive = new HashSet<>(inArchive);
        // The directories every package shares would make every package a candidate: a package
        // is one when it lists a path of the archive that is not a directory above another.
        Set<String> directories = new HashSet<>(List.of("/.", "/"));
        for (String path : inArchive) {
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                if (!directories.add(path.substring(0, slash))) {
                    break;
                }
            }
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (String path : inArchive) {
            if (!directories.contains(path)) {
                candidates.addAll(owners.holders(path));
            }
        }
        candidates.remove(pkg.name());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<DpkgStatusEntry> out = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        for (DpkgStatusEntry other : database.status()) {
            // dpkg also considers packages unpacked but not configured; one of those is in the set,
            // and its configure later in the run must find it, so only a configured package goes.
            if (!candidates.contains(other.name()) || !other.status().state().isConfigured()) {
                continue;
            }
            List<String> files = database.fileList(other.infoName());
            if (files.stream().allMatch("/."::equals)
                    || files.stream().anyMatch(f -> saves(f, other, pkg, archive, gone))
                    || stillNeeded(other, pkg)) {
                continue;
            }
            gone.add(other.name());
            out.add(other);
        }
        return out;
    }

    /** dpkg's filesavespackage: the file keeps {@code other} installed. */
    private boolean saves(String path, DpkgStatusEntry other, DebPackage pkg, Set<String> archive, Set<String> gone) {
        if (diversions.divertedBy(path, other.name()) || diversions.divertedBy(path, pkg.name())) {
            return true;
        }
        if (archive.contains(path)) {
            return false;
        }
        try {
            return owners.holders(path).stream().noneMatch(holder -> !holder.equals(pkg.name()) && !holder.equals(other.name())
                    && !gone.contains(holder));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether an installed package's Depends, Pre-Depends or Recommends would fail without {@code other}. */
    private boolean stillNeeded(DpkgStatusEntry other, DebPackage pkg) throws IOException {
        Set<String> names = new HashSet<>();
        names.add(other.name());
        other.relations("Provides").groups().forEach(g -> g.alternatives().forEach(a -> names.add(a.name())));
        for (DpkgStatusEntry depender : database.status()) {
            boolean unpacking = depender.name().equals(pkg.name());
            State state = depender.status().state();
            if (depender == other || !unpacking && state.compareTo(State.HALF_INSTALLED) < 0) {
                continue;
            }
            // A package not configured is held to its Pre-Depends only (depisok).
            List<String> fields = unpacking || state.isConfigured() ? List.of("Depends", "Pre-Depends", "Recommends")
                    : List.of("Pre-Depends");
            for (String field : fields) {
                DebRelations relations = unpacking ? pkg.relations().get(field) : depender.relations(field);
                String dependerArchitecture = unpacking ? pkg.architecture() : depender.architecture();
                for (DebRelationGroup group : relations.groups()) {
                    // dpkg looks at every dependency on the name, whatever its architecture; which
                    // instance satisfies it is where the architecture counts.
                    if (group.alternatives().stream().anyMatch(a -> names.contains(a.name()))
                            && !satisfied(group, dependerArchitecture, other, pkg)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * depisok for a dependency group, with {@code other} gone and {@code pkg} at its new version: an
     * instance by the name counts when its architecture fits (deparchsatisfied), a provider whatever
     * its architecture, as dpkg checks them.
     */
    private boolean satisfied(DebRelationGroup group, String dependerArchitecture, DpkgStatusEntry other, DebPackage pkg)
            throws IOException {
        for (DebRelation wanted : group.alternatives()) {
            if (wanted.name().equals(pkg.name()) && wanted.acceptsVersion(pkg.version())
                    && architectures.matches(pkg.architecture(), pkg.multiArch(), wanted, dependerArchitecture, true)) {
                return true;
            }
            if (provides(pkg.relations().get("Provides"), wanted)) {
                return true;
            }
            for (DpkgStatusEntry candidate : database.status()) {
                if (candidate == other || candidate.name().equals(pkg.name()) || !configuredForDepends(candidate)) {
                    continue;
                }
                if (candidate.name().equals(wanted.name()) && candidate.version() != null
                        && wanted.acceptsVersion(candidate.version())
                        && architectures.matches(candidate.architecture(), candidate.multiArch(), wanted,
                                dependerArchitecture, true)) {
                    return true;
                }
                if (provides(candidate.relations("Provides"), wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** depisok without unconfigured packages: installed, or installed with triggers pending. */
    private static boolean configuredForDepends(DpkgStatusEntry entry) {
        State state = entry.status().state();
        return state == State.INSTALLED || state == State.TRIGGERS_PENDING;
    }

    private static boolean provides(DebRelations provides, DebRelation wanted) {
        for (DebRelationGroup group : provides.groups()) {
            for (DebRelation provided : group.alternatives()) {
                if (wanted.isProvidedBy(provided)) {
                    return true;
                }
            }
        }
        return false;
    }
}
