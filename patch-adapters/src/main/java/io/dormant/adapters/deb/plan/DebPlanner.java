package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.plan.DebPatchSelection.Candidate;
import io.dormant.adapters.deb.plan.PlannedPackage.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deb adapter's "plan" step: which patches of a set apply to an image, whether dpkg would accept
 * the image they leave behind, and in which order to apply them. Reads nothing but its arguments.
 */
public final class DebPlanner {

    private DebPlanner() {
    }

    /**
     * @param installed the image's dpkg status entries ({@code DpkgDatabase.status()})
     * @param patches   the set, in any order; several versions of one package are allowed
     * @throws DebPlanRefusedException listing every unmet dependency, conflict, broken package and
     *                                 Pre-Depends loop that the planned packages would leave in the image
     */
    public static DebPlan plan(List<DpkgStatusEntry> installed, List<DebPackage> patches, DebPlanOptions options)
            throws DebPlanRefusedException {
        String architecture = options.architecture() != null ? options.architecture()
                : DebPatchSelection.nativeArchitecture(installed).orElseThrow(() -> new DebPlanRefusedException(List.of(
                        "cannot tell the image's architecture: it has no dpkg package and no essential package;"
                                + " name the architecture in the plan options")));
        DebPatchSelection selection = DebPatchSelection.select(installed, patches, architecture);
        DebInstalledSet image = new DebInstalledSet(imageInstances(installed));

        Map<DebInstance, DebInstance> replaced = new LinkedHashMap<>();
        Map<DebInstance, PlannedPackage> planned = new LinkedHashMap<>();
        for (Candidate upgrade : selection.upgrades) {
            DebInstance from = DebInstance.of(upgrade.installed());
            add(planned, replaced, upgrade.patch(), Action.UPGRADE, from);
        }
        List<DebPackage> absent = new ArrayList<>(selection.absent.stream().map(Candidate::patch).toList());
        if (options.installNew()) {
            absent.forEach(p -> add(planned, replaced, p, Action.INSTALL, null));
            absent.clear();
        }
        List<String> notes = new ArrayList<>(selection.notes);
        addRequiredInstalls(image, planned, replaced, absent, architecture, options.installRecommends(), notes);

        List<SkippedPatch> skipped = new ArrayList<>(selection.skipped);
        String unneeded = options.installRecommends() ? "not installed in the image, and no planned package needs or recommends it"
                : "not installed in the image, and no planned package needs it (recommends are not installed:"
                + " APT::Install-Recommends is off in the image, or --no-install-recommends)";
        absent.forEach(p -> skipped.add(new SkippedPatch(p, unneeded)));
        skipped.sort(Comparator.comparingInt(s -> inputOrder(patches, s.patch())));

        DebRelationCheck after = new DebRelationCheck(image.with(replaced), architecture);
        List<String> existing = new DebRelationCheck(image, architecture).problems();
        List<String> problems = new ArrayList<>();
        for (String problem : after.problems()) {
            if (existing.contains(problem)) {
                notes.add("the image already has this problem, and the plan leaves it as it is: " + problem);
            } else {
                problems.add(problem);
            }
        }
        DebPlanOrder.Result order = DebPlanOrder.order(planned, after,
                new Deconfigurations(image, replaced, new DebRelationCheck(image, architecture)));
        problems.addAll(order.problems());
        if (!problems.isEmpty()) {
            throw new DebPlanRefusedException(problems);
        }
        notes.addAll(order.notes());
        return new DebPlan(order.order(), order.unpackOrder(), order.deconfigurations(), skipped, notes);
    }

    /** The image's instances; a status entry whose relations dpkg could not read is a refusal, not a crash. */
    private static List<DebInstance> imageInstances(List<DpkgStatusEntry> installed) throws DebPlanRefusedException {
        List<DebInstance> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (DpkgStatusEntry entry : installed) {
            try {
                out.add(DebInstance.of(entry));
            } catch (IllegalArgumentException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            throw new DebPlanRefusedException(unreadable);
        }
        return out;
    }

    /** Where the patch is in the set as given, so that skipped patches are listed in that order. */
    private static int inputOrder(List<DebPackage> patches, DebPackage patch) {
        for (int i = 0; i < patches.size(); i++) {
            if (patches.get(i) == patch) {
                return i;
            }
        }
        return patches.size();
    }

    private static void add(Map<DebInstance, PlannedPackage> planned, Map<DebInstance, DebInstance> replaced,
                            DebPackage patch, Action action, DebInstance from) {
        DebInstance instance = DebInstance.of(patch);
        planned.put(instance, new PlannedPackage(patch, action, from == null ? null : from.version()));
        replaced.put(instance, from);
    }

    /**
     * Installs a patch the image does not have when a planned package depends on it and nothing else
     * satisfies that dependency; of several alternatives the first that a patch satisfies wins, as
     * apt chooses. With {@code recommends}, a Recommends counts as apt counts it: all of a new
     * package's, and of an upgrade those whose first alternative its installed version did not
     * recommend, or did in a Recommends the image satisfies, so that what an admin removed stays
     * removed. Repeats until the planned packages need nothing more from the set.
     */
    private static void addRequiredInstalls(DebInstalledSet image, Map<DebInstance, PlannedPackage> planned,
                                            Map<DebInstance, DebInstance> replaced, List<DebPackage> absent,
                                            String architecture, boolean recommends, List<String> notes) {
        DebRelationCheck now = new DebRelationCheck(image, architecture);
        boolean changed = true;
        while (changed && !absent.isEmpty()) {
            changed = false;
            DebRelationCheck after = new DebRelationCheck(image.with(replaced), architecture);
            DebRelationCheck offered = new DebRelationCheck(
                    new DebInstalledSet(absent.stream().map(DebInstance::of).toList()), architecture);
            for (DebInstance depender : List.copyOf(planned.keySet())) {
                for (Wanted wanted : wanted(depender, replaced.get(depender), recommends ? now : null)) {
                    if (!after.satisfied(depender, wanted.group())) {
                        DebPackage needed = firstOffered(offered, depender, wanted.group());
                        if (needed != null && absent.remove(needed)) {
                            add(planned, replaced, needed, Action.INSTALL, null);
                            notes.add(needed.name() + " " + needed.version() + " is installed: " + depender.name() + " "
                                    + depender.version() + " " + wanted.verb() + " " + wanted.group().format());
                            changed = true;
                        }
                    }
                }
                if (changed) {
                    break;
                }
            }
        }
    }

    /** A relation that makes the plan install a patch, and how the note names it. */
    private record Wanted(DebRelationGroup group, String verb) {
    }

    /** @param now the image as it is, to follow Recommends as apt does; null to follow none */
    private static List<Wanted> wanted(DebInstance instance, DebInstance installed, DebRelationCheck now) {
        List<Wanted> out = new ArrayList<>();
        instance.relations().preDepends().groups().forEach(g -> out.add(new Wanted(g, "pre-depends on")));
        instance.relations().depends().groups().forEach(g -> out.add(new Wanted(g, "depends on")));
        if (now != null) {
            for (DebRelationGroup group : instance.relations().recommends().groups()) {
                if (installed == null || followedOnUpgrade(installed, group, now)) {
                    out.add(new Wanted(group, "recommends"));
                }
            }
        }
        return out;
    }

    /**
     * apt's test for an upgrade's Recommends (pkgDepCache::MarkInstall): only the group's first
     * alternative is looked for among the installed version's Recommends. Not there, it is a new
     * Recommends; there in a group the image satisfies, apt follows it too (a Recommends whose
     * version was raised); there only in groups the image leaves unsatisfied, an admin chose to do
     * without it and it is left alone. So a group that adds a newer first choice before the old
     * ones (libavcodec63 | … | libavcodec59) is new even when the old ones were recommended before.
     */
    private static boolean followedOnUpgrade(DebInstance installed, DebRelationGroup group, DebRelationCheck now) {
        String first = group.alternatives().get(0).name();
        boolean recommendedBefore = false;
        for (DebRelationGroup old : installed.relations().recommends().groups()) {
            if (old.alternatives().stream().anyMatch(alternative -> alternative.name().equals(first))) {
                recommendedBefore = true;
                if (now.satisfied(installed, old)) {
                    return true;
                }
            }
        }
        return !recommendedBefore;
    }

    private static DebPackage firstOffered(DebRelationCheck offered, DebInstance depender, DebRelationGroup group) {
        for (DebRelation alternative : group.alternatives()) {
            List<DebInstance> found = offered.satisfiers(depender, new DebRelationGroup(List.of(alternative)));
            if (!found.isEmpty()) {
                return found.get(0).patch();
            }
        }
        return null;
    }
}
