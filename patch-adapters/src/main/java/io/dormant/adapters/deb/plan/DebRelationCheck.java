package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebArchitectureMatch;
import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.DebRelations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a set of installed packages the way dpkg checks at configure time (src/main/depcon.c,
 * lib/dpkg/depcon.c): Depends and Pre-Depends with alternatives, versions, Provides and
 * architecture qualifiers; Conflicts; Breaks. Each problem is one sentence for an admin.
 */
final class DebRelationCheck {

    /** The relation fields this check reads, with the verb its sentences use. */
    enum Field {
        PRE_DEPENDS("pre-depends on"), DEPENDS("depends on"), CONFLICTS("conflicts with"), BREAKS("breaks");

        final String verb;

        Field(String verb) {
            this.verb = verb;
        }

        boolean isDependency() {
            return this == PRE_DEPENDS || this == DEPENDS;
        }

        DebRelations of(DebInstance instance) {
            return switch (this) {
                case PRE_DEPENDS -> instance.relations().preDepends();
                case DEPENDS -> instance.relations().depends();
                case CONFLICTS -> instance.relations().conflicts();
                case BREAKS -> instance.relations().breaks();
            };
        }
    }

    private final DebInstalledSet set;
    private final DebArchitectureMatch architectures;

    DebRelationCheck(DebInstalledSet set, String nativeArchitecture) {
        this.set = set;
        this.architectures = new DebArchitectureMatch(nativeArchitecture);
    }

    /** Every problem of the set, in the set's order; empty when dpkg would configure all of it. */
    List<String> problems() {
        Set<String> out = new LinkedHashSet<>();
        for (DebInstance instance : set.instances()) {
            for (Field field : Field.values()) {
                if (checks(instance, field)) {
                    for (DebRelationGroup group : field.of(instance).groups()) {
                        out.addAll(field.isDependency() ? unmet(instance, field, group) : clashes(instance, field, group));
                    }
                }
            }
        }
        for (List<DebInstance> shared : set.sharedNames()) {
            if (!shared.stream().allMatch(DebInstance::isMultiArchSame)) {
                out.add(shared.stream().map(i -> i.name() + ":" + i.architecture() + " " + i.version())
                        .collect(Collectors.joining(" and ")) + " would both be installed, but only Multi-Arch: same"
                        + " packages can be installed for several architectures");
            } else {
                versionSkew(shared).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /**
     * dpkg configures the instances of a Multi-Arch: same package only when all that are unpacked
     * or more have one version ("cannot be configured because ... is at a different version").
     */
    private static Optional<String> versionSkew(List<DebInstance> shared) {
        List<DebInstance> present = shared.stream().filter(DebInstance::isPresent).toList();
        if (present.stream().map(DebInstance::version).collect(Collectors.toCollection(TreeSet::new)).size() < 2) {
            return Optional.empty();
        }
        DebInstance newest = present.stream().max(Comparator.comparing(DebInstance::version)).orElseThrow();
        String behind = present.stream().filter(i -> i.version().compareTo(newest.version()) != 0)
                .map(DebInstance::architecture).collect(Collectors.joining(", "));
        return Optional.of(present.stream().map(DebInstance::describe).collect(Collectors.joining(" and "))
                + " would be installed at different versions, but dpkg configures the instances of a Multi-Arch: same"
                + " package only at one version: add " + newest.name() + " " + newest.version() + " for " + behind
                + " to the set, or leave " + newest.label() + " out");
    }

    /** The instances that satisfy the group for {@code depender}: real packages and providers. */
    List<DebInstance> satisfiers(DebInstance depender, DebRelationGroup group) {
        List<DebInstance> out = new ArrayList<>();
        for (DebRelation wanted : group.alternatives()) {
            for (DebInstance candidate : set.named(wanted.name())) {
                if (candidate.isConfigured() && architectureMatches(candidate, wanted, depender, Field.DEPENDS)
                        && wanted.acceptsVersion(candidate.version())) {
                    out.add(candidate);
                }
            }
            for (DebInstalledSet.Provider p : set.providersOf(wanted.name())) {
                if (p.provider().isConfigured() && wanted.isProvidedBy(p.provided())) {
                    out.add(p.provider());
                }
            }
        }
        return out;
    }

    boolean satisfied(DebInstance depender, DebRelationGroup group) {
        return !satisfiers(depender, group).isEmpty();
    }

    /** Which relations dpkg checks for a package in the state it is in (depcon.c, depisok). */
    private static boolean checks(DebInstance instance, Field field) {
        return instance.isConfigured() || field != Field.DEPENDS;
    }

    private List<String> unmet(DebInstance depender, Field field, DebRelationGroup group) {
        if (satisfied(depender, group)) {
            return List.of();
        }
        boolean several = group.alternatives().size() > 1;
        List<String> why = new ArrayList<>();
        for (DebRelation wanted : group.alternatives()) {
            why.add(whyNot(depender, wanted, several));
        }
        return List.of(depender.describe() + " " + field.verb + " " + group.format() + ", but " + String.join("; ", why));
    }

    /** Why one alternative is not satisfied, as the part of a sentence after "but". */
    private String whyNot(DebInstance depender, DebRelation wanted, boolean several) {
        List<String> why = new ArrayList<>();
        for (DebInstance candidate : set.named(wanted.name())) {
            if (!architectureMatches(candidate, wanted, depender, Field.DEPENDS)) {
                why.add(wanted.architecture() != null && wanted.architecture().equals("any")
                        ? candidate.label() + " is not Multi-Arch: allowed, so " + wanted.name() + ":any does not match it"
                        : "the image has " + candidate.name() + " only for " + candidate.architecture()
                        + ", which does not match " + depender.label() + " (" + depender.architecture() + ")");
            } else if (!candidate.isConfigured()) {
                why.add(candidate.label() + " is " + candidate.stateWord() + " in the image");
            } else {
                why.add("the image would have " + (several || !candidate.label().equals(wanted.name())
                        ? candidate.label() + " " : "") + candidate.version());
            }
        }
        for (DebInstalledSet.Provider p : set.providersOf(wanted.name())) {
            if (!p.provider().isConfigured()) {
                why.add(p.provider().label() + ", which provides " + wanted.name() + ", is " + p.provider().stateWord());
            } else if (p.provided().version() == null) {
                why.add(p.provider().describe() + " provides " + wanted.name() + " without a version");
            } else {
                why.add(p.provider().describe() + " provides " + p.provided().format());
            }
        }
        return why.isEmpty() ? wanted.name() + " is not installed" : String.join(" and ", why);
    }

    /** Conflicts and Breaks: a package never clashes with its own name, nor with what it provides itself. */
    private List<String> clashes(DebInstance declarer, Field field, DebRelationGroup group) {
        List<String> out = new ArrayList<>();
        for (DebRelation against : group.alternatives()) {
            if (!against.name().equals(declarer.name())) {
                for (DebInstance other : set.named(against.name())) {
                    if (clashable(other, field) && architectureMatches(other, against, declarer, field)
                            && against.acceptsVersion(other.version())) {
                        out.add(declarer.describe() + " " + field.verb + " " + against.format() + ", but the image would have "
                                + other.describe() + replacementHint(declarer, field, other));
                    }
                }
            }
            for (DebInstalledSet.Provider p : set.providersOf(against.name())) {
                if (!p.provider().name().equals(declarer.name()) && clashable(p.provider(), field)
                        && against.isProvidedBy(p.provided())) {
                    out.add(declarer.describe() + " " + field.verb + " " + against.format() + ", which "
                            + p.provider().describe() + " provides" + replacementHint(declarer, field, p.provider()));
                }
            }
        }
        return out;
    }

    /** Breaks only counts against configured packages; Conflicts against anything unpacked at all. */
    private static boolean clashable(DebInstance other, Field field) {
        return field == Field.BREAKS ? other.isConfigured() : other.isPresent();
    }

    /** dpkg would remove a conflicting package that the new one also replaces; a plan removes nothing. */
    private static String replacementHint(DebInstance declarer, Field field, DebInstance other) {
        boolean replaces = declarer.relations().replaces().groups().stream()
                .flatMap(g -> g.alternatives().stream()).anyMatch(r -> r.name().equals(other.name()));
        return field == Field.CONFLICTS && replaces
                ? " (dpkg would remove " + other.label() + " because " + declarer.label() + " replaces it; a plan removes no package)"
                : "";
    }

    /** dpkg's deparchsatisfied ({@link DebArchitectureMatch}). */
    boolean architectureMatches(DebInstance candidate, DebRelation wanted, DebInstance depender, Field field) {
        return architectures.matches(candidate.architecture(), candidate.multiArch(), wanted, depender.architecture(),
                field.isDependency());
    }
}
