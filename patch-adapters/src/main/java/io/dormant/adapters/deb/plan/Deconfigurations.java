package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.plan.DebDeconfiguration.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which installed packages dpkg deconfigures as it unpacks the planned ones in order, with
 * {@code --auto-deconfigure} (src/main/unpack.c and archives.c, check_breaks): before a package
 * is unpacked, the other instances of its name that are configured at another version, then each
 * configured package its Breaks hit, by name or through what it provides. A package already
 * unpacked or deconfigured earlier in the run is no longer configured, so nothing breaks it.
 * dpkg deconfigures one package per Breaks entry: an entry that hits two or more (both instances of
 * a Multi-Arch: same library, two providers of a name) makes it refuse the package, which is
 * recorded as a {@link Crowd} for the order to avoid.
 */
final class Deconfigurations {

    private final DebInstalledSet image;
    private final Map<DebInstance, DebInstance> replaced;
    private final DebRelationCheck check;
    private final List<String> notes = new ArrayList<>();
    private final List<Crowd> crowds = new ArrayList<>();

    /**
     * A Breaks entry of {@code by} that hits several configured packages at its unpack, where dpkg
     * stops with "installing {@code by} would break existing software" (depcon.c, depisok, nconflicts).
     */
    record Crowd(DebInstance by, DebRelation against, List<DebInstance> hits) {

        String describe() {
            return by.describe() + " breaks " + against.format() + ", which "
                    + hits.stream().map(DebInstance::describe).collect(Collectors.joining(" and "))
                    + " satisfy; dpkg deconfigures one package per Breaks entry";
        }
    }

    /**
     * @param image    the image's instances as they are
     * @param replaced each planned instance to the image's instance it replaces, or to null
     * @param check    the relation check whose architecture rules apply
     */
    Deconfigurations(DebInstalledSet image, Map<DebInstance, DebInstance> replaced, DebRelationCheck check) {
        this.image = image;
        this.replaced = replaced;
        this.check = check;
    }

    /**
     * The deconfigurations of a run that unpacks {@code unpackOrder}, each package's in the order
     * dpkg considers them (it runs their prerms in the reverse order).
     *
     * @param planned each planned package by its instance
     */
    List<DebDeconfiguration> during(List<PlannedPackage> unpackOrder, Map<DebInstance, PlannedPackage> planned) {
        notes.clear();
        crowds.clear();
        Map<PlannedPackage, DebInstance> instances = new HashMap<>();
        planned.forEach((instance, p) -> instances.put(p, instance));
        Set<DebInstance> inSet = new LinkedHashSet<>();
        replaced.values().stream().filter(i -> i != null).forEach(inSet::add);
        Set<DebInstance> configured = new LinkedHashSet<>();
        image.instances().stream().filter(DebInstance::isConfigured).forEach(configured::add);
        List<DebDeconfiguration> out = new ArrayList<>();
        for (PlannedPackage unpacking : unpackOrder) {
            DebInstance instance = instances.get(unpacking);
            configured.remove(replaced.get(instance));
            List<DebInstance> broken = new ArrayList<>();
            for (DebInstance other : image.named(instance.name())) {
                if (configured.contains(other) && other.version().compareTo(instance.version()) != 0) {
                    broken.add(other);
                }
            }
            int sync = broken.size();
            for (DebRelationGroup group : instance.relations().breaks().groups()) {
                // A Breaks field has no alternatives; dpkg reads the first.
                DebRelation against = group.alternatives().get(0);
                List<DebInstance> hits = brokenBy(instance, against, configured);
                if (hits.size() > 1) {
                    crowds.add(new Crowd(instance, against, hits));
                }
                for (DebInstance hit : hits) {
                    if (!broken.contains(hit)) {
                        broken.add(hit);
                    }
                }
            }
            for (int i = 0; i < broken.size(); i++) {
                DebInstance other = broken.get(i);
                configured.remove(other);
                if (!inSet.contains(other)) {
                    // The plan refuses a set that leaves a package broken, so this one was broken
                    // before the apply (dpkg would deconfigure it and configure it again).
                    notes.add(unpacking.label() + " breaks " + other.describe() + ", which the set does not upgrade;"
                            + " dpkg would deconfigure it and configure it again, the apply leaves it configured");
                    continue;
                }
                out.add(new DebDeconfiguration(unpacking, other.name(), other.architecture(), other.multiArch(),
                        other.version(), i < sync ? Reason.INSTANCE_SYNC : Reason.BREAKS));
            }
        }
        return out;
    }

    /** The Breaks entries of the last {@link #during} run that dpkg would refuse, in unpack order. */
    List<Crowd> crowds() {
        return crowds;
    }

    /** Notes for the admin about packages dpkg would deconfigure that the apply does not. */
    List<String> notes() {
        return notes;
    }

    /** depcon.c, depisok for Breaks: configured instances of the name, and configured providers of it. */
    private List<DebInstance> brokenBy(DebInstance declarer, DebRelation against, Set<DebInstance> configured) {
        List<DebInstance> out = new ArrayList<>();
        // A package that breaks its own name means the other packages that provide that name.
        if (!against.name().equals(declarer.name())) {
            for (DebInstance other : image.named(against.name())) {
                if (configured.contains(other) && check.architectureMatches(other, against, declarer, DebRelationCheck.Field.BREAKS)
                        && against.acceptsVersion(other.version())) {
                    out.add(other);
                }
            }
        }
        for (DebInstalledSet.Provider p : image.providersOf(against.name())) {
            DebInstance provider = p.provider();
            if (configured.contains(provider) && !provider.name().equals(declarer.name())
                    && against.isProvidedBy(p.provided()) && !out.contains(provider)) {
                out.add(provider);
            }
        }
        return out;
    }
}
