package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatus.State;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sorts the patches of a set by what the image has of each: an older version (an upgrade), none (a
 * possible install), or nothing a patch can be applied to (skipped, with the reason).
 */
final class DebPatchSelection {

    /** A patch and the image's instance it upgrades, or null when the image does not have it. */
    record Candidate(DebPackage patch, DpkgStatusEntry installed) {
    }

    final List<Candidate> upgrades = new ArrayList<>();
    final List<Candidate> absent = new ArrayList<>();
    final List<SkippedPatch> skipped = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    private final List<DpkgStatusEntry> image;
    private final String nativeArchitecture;

    private DebPatchSelection(List<DpkgStatusEntry> image, String nativeArchitecture) {
        this.image = image;
        this.nativeArchitecture = nativeArchitecture;
    }

    static DebPatchSelection select(List<DpkgStatusEntry> image, List<DebPackage> patches, String nativeArchitecture) {
        DebPatchSelection selection = new DebPatchSelection(image, nativeArchitecture);
        for (DebPackage newest : selection.newestOfEachPackage(selection.forThisImage(patches))) {
            selection.classify(newest);
        }
        return selection;
    }

    /**
     * dpkg's --print-architecture for an image: its dpkg package's architecture, or else the most
     * common one among its essential packages.
     */
    static Optional<String> nativeArchitecture(List<DpkgStatusEntry> image) {
        Optional<String> dpkg = image.stream()
                .filter(e -> e.name().equals("dpkg") && e.status().isInstalled() && isBinary(e.architecture()))
                .map(DpkgStatusEntry::architecture).findFirst();
        if (dpkg.isPresent()) {
            return dpkg;
        }
        Map<String, Integer> essential = new LinkedHashMap<>();
        image.stream().filter(e -> e.status().isInstalled() && isBinary(e.architecture()))
                .filter(e -> e.paragraph().value("Essential").orElse("no").equalsIgnoreCase("yes"))
                .forEach(e -> essential.merge(e.architecture(), 1, Integer::sum));
        return essential.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    private static boolean isBinary(String architecture) {
        return !architecture.isEmpty() && !architecture.equals("all");
    }

    /** The patches built for an architecture the image runs: native, all, or one it has packages of. */
    private List<DebPackage> forThisImage(List<DebPackage> patches) {
        Set<String> architectures = new LinkedHashSet<>(List.of(nativeArchitecture));
        image.stream().filter(e -> e.status().state().compareTo(State.HALF_INSTALLED) >= 0)
                .map(DpkgStatusEntry::architecture).filter(DebPatchSelection::isBinary).forEach(architectures::add);
        List<DebPackage> out = new ArrayList<>();
        for (DebPackage patch : patches) {
            if (patch.architecture().equals("all") || architectures.contains(patch.architecture())) {
                out.add(patch);
            } else {
                skipped.add(new SkippedPatch(patch, "built for " + patch.architecture() + ", but the image is "
                        + String.join(" and ", architectures)));
            }
        }
        return out;
    }

    /** One patch per package instance: the newest; the others are skipped as superseded. */
    private List<DebPackage> newestOfEachPackage(List<DebPackage> patches) {
        Map<String, List<DebPackage>> bySlot = new LinkedHashMap<>();
        patches.forEach(p -> bySlot.computeIfAbsent(slot(p), s -> new ArrayList<>()).add(p));
        List<DebPackage> out = new ArrayList<>();
        for (List<DebPackage> versions : bySlot.values()) {
            DebPackage max = versions.stream().max(Comparator.comparing(DebPackage::version)).orElseThrow();
            DebPackage newest = versions.stream().filter(p -> p.version().compareTo(max.version()) == 0).findFirst().orElseThrow();
            out.add(newest);
            for (DebPackage other : versions) {
                if (other != newest) {
                    skipped.add(new SkippedPatch(other, other.version().compareTo(newest.version()) == 0
                            ? "the set holds " + newest.name() + " " + newest.version() + " twice; the first one is planned"
                            : "superseded by " + newest.version() + " in the same set"));
                }
            }
        }
        return out;
    }

    /** Which installed instance a patch would take the place of, as a key. */
    private String slot(DebPackage patch) {
        boolean ownArchitecture = patch.multiArch().equals("same") || !isNativeOrAll(patch.architecture());
        return patch.name() + ":" + (ownArchitecture ? patch.architecture() : nativeArchitecture);
    }

    private boolean isNativeOrAll(String architecture) {
        return architecture.equals("all") || architecture.equals(nativeArchitecture);
    }

    private void classify(DebPackage patch) {
        Optional<DpkgStatusEntry> found = installedInstance(patch);
        if (found.isEmpty() || found.get().status().state() == State.CONFIG_FILES) {
            absent.add(new Candidate(patch, null));
            return;
        }
        DpkgStatusEntry installed = found.get();
        DpkgStatus status = installed.status();
        if (!DebInstance.isConfigured(status.state()) || status.flag() == DpkgStatus.Flag.REINSTREQ) {
            skipped.add(new SkippedPatch(patch, "the image has " + installed.version() + " in state '" + status.format()
                    + "'; repair it online first (dpkg --configure -a, or reinstall it)"));
            return;
        }
        int comparison = patch.version().compareTo(installed.version());
        if (comparison == 0) {
            skipped.add(new SkippedPatch(patch, "already installed at " + installed.version()));
        } else if (comparison < 0) {
            skipped.add(new SkippedPatch(patch, "image has newer " + installed.version()));
        } else {
            upgrades.add(new Candidate(patch, installed));
            if (status.want() == DpkgStatus.Want.HOLD) {
                notes.add(DebInstance.label(installed.name(), installed.architecture(), installed.multiArch()) + " is on hold in the image; it is upgraded because the set names it,"
                        + " as dpkg -i would");
            }
        }
    }

    /** The image's entry for the patch's instance: same architecture, or native and all, which dpkg treats alike. */
    private Optional<DpkgStatusEntry> installedInstance(DebPackage patch) {
        return image.stream()
                .filter(e -> e.name().equals(patch.name()) && e.status().state() != State.NOT_INSTALLED)
                .filter(e -> e.architecture().equals(patch.architecture())
                        || !patch.multiArch().equals("same") && isNativeOrAll(e.architecture())
                        && isNativeOrAll(patch.architecture()))
                .max(Comparator.comparing(e -> e.status().state()));
    }
}
