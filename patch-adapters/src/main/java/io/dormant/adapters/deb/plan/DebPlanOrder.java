package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebRelationGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Puts the planned packages in the orders the apply step unpacks and configures them, dpkg -i's
 * for the files given by name: unpacked by name, what a package pre-depends on before it,
 * strictly, and what one Breaks entry of a package hits twice before it (where dpkg -i would refuse); configured in that order but each after what it depends on where the Depends inside
 * the set allow (dpkg's queue: a package that waits goes to its end), a cycle broken at the first
 * package by name.
 */
final class DebPlanOrder {

    /**
     * @param order       the configure order: what a package depends on is configured before it
     * @param unpackOrder the unpack order, dpkg -i's: by name, but what a package pre-depends on
     *                    before it; dpkg -i unpacks in the order it is given, and what it records as it
     *                    unpacks (the order of triggers/File, for one) follows that order
     */
    record Result(List<PlannedPackage> order, List<PlannedPackage> unpackOrder, List<DebDeconfiguration> deconfigurations,
                  List<String> notes, List<String> problems) {
    }

    /** Why one planned package must come before another. */
    private enum Need { PRE_DEPENDS, DEPENDS }

    private final List<DebInstance> nodes;
    private final Map<DebInstance, PlannedPackage> planned = new HashMap<>();
    /** For each package, the packages that must come before it, and how strictly. */
    private final Map<DebInstance, Map<DebInstance, Need>> before = new HashMap<>();
    /** Packages unpacked before a package only so that dpkg does not refuse it (see {@link #unpackFirst}). */
    private final Map<DebInstance, Set<DebInstance>> unpackedAfter = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private DebPlanOrder(Map<DebInstance, PlannedPackage> planned, DebRelationCheck check) {
        this.planned.putAll(planned);
        this.nodes = planned.keySet().stream()
                .sorted(Comparator.comparing(DebInstance::name).thenComparing(DebInstance::architecture)).toList();
        for (DebInstance node : nodes) {
            Map<DebInstance, Need> needs = new LinkedHashMap<>();
            addNeeds(needs, node, node.relations().preDepends().groups(), Need.PRE_DEPENDS, check);
            addNeeds(needs, node, node.relations().depends().groups(), Need.DEPENDS, check);
            before.put(node, needs);
        }
    }

    /**
     * @param planned          each planned package by the instance it becomes in the checked set
     * @param deconfigurations what dpkg deconfigures as it unpacks in that order
     */
    static Result order(Map<DebInstance, PlannedPackage> planned, DebRelationCheck check, Deconfigurations deconfigurations) {
        DebPlanOrder order = new DebPlanOrder(planned, check);
        List<PlannedPackage> unpackOrder = order.unpackSort();
        List<DebDeconfiguration> deconfigured = deconfigurations.during(unpackOrder, planned);
        while (!deconfigurations.crowds().isEmpty()) {
            if (!order.unpackFirst(deconfigurations.crowds().get(0))) {
                break;
            }
            unpackOrder = order.unpackSort();
            deconfigured = deconfigurations.during(unpackOrder, planned);
        }
        order.notes.addAll(deconfigurations.notes());
        return new Result(order.sort(order.queue(unpackOrder, deconfigured)), unpackOrder, deconfigured, order.notes,
                order.problems);
    }

    /**
     * dpkg -i's configure queue as it fills: each package when it is unpacked, and a package it
     * deconfigures right after it (src/main/cleanup.c, ok_prermdeconfigure), once.
     */
    private List<DebInstance> queue(List<PlannedPackage> unpackOrder, List<DebDeconfiguration> deconfigured) {
        Map<PlannedPackage, DebInstance> instances = new HashMap<>();
        planned.forEach((instance, p) -> instances.put(p, instance));
        Map<String, DebInstance> byLabel = new HashMap<>();
        planned.keySet().forEach(i -> byLabel.put(i.name() + ":" + i.architecture(), i));
        LinkedHashSet<DebInstance> queue = new LinkedHashSet<>();
        for (PlannedPackage unpacking : unpackOrder) {
            queue.add(instances.get(unpacking));
            for (DebDeconfiguration d : deconfigured) {
                DebInstance upgrade = byLabel.get(d.name() + ":" + d.architecture());
                if (d.by() == unpacking && upgrade != null) {
                    queue.add(upgrade);
                }
            }
        }
        return List.copyOf(queue);
    }

    /**
     * A Breaks entry that hits several packages, which dpkg -i in name order would refuse: the
     * upgrades of what it hits are unpacked first, so that none of them is configured when the
     * package arrives. False, with the refusal as a problem, when the set does not upgrade one of
     * them or the order already tried it.
     */
    private boolean unpackFirst(Deconfigurations.Crowd crowd) {
        Map<String, DebInstance> byLabel = new HashMap<>();
        nodes.forEach(i -> byLabel.put(i.name() + ":" + i.architecture(), i));
        Set<DebInstance> first = unpackedAfter.computeIfAbsent(crowd.by(), k -> new LinkedHashSet<>());
        boolean moved = false;
        for (DebInstance hit : crowd.hits()) {
            DebInstance upgrade = byLabel.get(hit.name() + ":" + hit.architecture());
            if (upgrade == null) {
                problems.add("installing " + crowd.by().describe() + " would break existing software: " + crowd.describe()
                        + ", and the set does not upgrade " + hit.label());
                return false;
            }
            moved |= first.add(upgrade);
        }
        if (!moved) {
            problems.add("installing " + crowd.by().describe() + " would break existing software: " + crowd.describe()
                    + ", and what it pre-depends on keeps it from being unpacked after them");
            return false;
        }
        notes.add(crowd.by().label() + " is unpacked after " + crowd.hits().stream().map(DebInstance::label)
                .collect(Collectors.joining(" and ")) + ": " + crowd.describe() + ", so dpkg -i in name order would refuse it");
        return true;
    }

    private void addNeeds(Map<DebInstance, Need> needs, DebInstance node, List<DebRelationGroup> groups, Need need,
                          DebRelationCheck check) {
        for (DebRelationGroup group : groups) {
            for (DebInstance satisfier : check.satisfiers(node, group)) {
                if (planned.containsKey(satisfier) && !satisfier.equals(node)) {
                    needs.putIfAbsent(satisfier, need);
                }
            }
        }
    }

    /**
     * dpkg -i's configure queue: the packages as they were queued; one that waits for another not yet
     * configured goes to the end of the queue; when a whole round configures nothing, a cycle is
     * broken. Equal inputs give equal orders.
     */
    private List<PlannedPackage> sort(List<DebInstance> initial) {
        Deque<DebInstance> queue = new ArrayDeque<>(initial);
        List<PlannedPackage> out = new ArrayList<>();
        TreeSet<DebInstance> left = new TreeSet<>(Comparator.comparing(nodes::indexOf));
        left.addAll(nodes);
        int sinceProgress = 0;
        while (!queue.isEmpty()) {
            DebInstance next = queue.removeFirst();
            if (!waitingFor(next, left).isEmpty()) {
                queue.addLast(next);
                if (++sinceProgress < queue.size()) {
                    continue;
                }
                next = breakCycle(left);
                queue.remove(next);
            }
            sinceProgress = 0;
            left.remove(next);
            out.add(planned.get(next));
        }
        return out;
    }

    /**
     * By name, each package after what it pre-depends on (a Pre-Depends loop is a problem {@code sort}
     * reports) and after what {@link #unpackFirst} put before it.
     */
    private List<PlannedPackage> unpackSort() {
        List<PlannedPackage> out = new ArrayList<>();
        TreeSet<DebInstance> left = new TreeSet<>(Comparator.comparing(nodes::indexOf));
        left.addAll(nodes);
        while (!left.isEmpty()) {
            DebInstance next = left.stream().filter(n -> !waitingFor(n, left).containsValue(Need.PRE_DEPENDS)
                            && unpackedAfter.getOrDefault(n, Set.of()).stream().noneMatch(left::contains))
                    .findFirst().orElseGet(left::first);
            left.remove(next);
            out.add(planned.get(next));
        }
        return out;
    }

    private Map<DebInstance, Need> waitingFor(DebInstance node, TreeSet<DebInstance> left) {
        return before.get(node).entrySet().stream().filter(e -> left.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Every package left waits for another: place the first one on a cycle that waits only by
     * Depends (dpkg configures such cycles together); a cycle of Pre-Depends alone cannot be unpacked.
     */
    private DebInstance breakCycle(TreeSet<DebInstance> left) {
        List<DebInstance> onCycle = left.stream().filter(n -> cycle(n, left) != null).toList();
        for (DebInstance node : onCycle) {
            if (!waitingFor(node, left).containsValue(Need.PRE_DEPENDS)) {
                notes.add("Depends cycle " + describe(cycle(node, left)) + ": " + node.label()
                        + " is placed before what it depends on");
                return node;
            }
        }
        DebInstance first = onCycle.get(0);
        problems.add("Pre-Depends loop " + describe(cycle(first, left))
                + ": dpkg cannot unpack any of these packages before the others");
        return first;
    }

    /** The shortest path from {@code start} back to itself through what each waits for, or null. */
    private List<DebInstance> cycle(DebInstance start, TreeSet<DebInstance> left) {
        Map<DebInstance, DebInstance> reachedFrom = new HashMap<>();
        Deque<DebInstance> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            DebInstance current = queue.removeFirst();
            for (DebInstance need : waitingFor(current, left).keySet().stream().sorted(left.comparator()).toList()) {
                if (need.equals(start)) {
                    List<DebInstance> path = new ArrayList<>(List.of(start));
                    for (DebInstance at = current; !at.equals(start); at = reachedFrom.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (!reachedFrom.containsKey(need)) {
                    reachedFrom.put(need, current);
                    queue.addLast(need);
                }
            }
        }
        return null;
    }

    private String describe(List<DebInstance> path) {
        StringBuilder out = new StringBuilder(path.get(0).label());
        for (int i = 1; i < path.size(); i++) {
            Need need = before.get(path.get(i - 1)).get(path.get(i));
            out.append(need == Need.PRE_DEPENDS ? " pre-depends on " : " depends on ").append(path.get(i).label());
        }
        return out.toString();
    }
}
