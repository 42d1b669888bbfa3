package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebTriggerDirective;
import io.dormant.adapters.deb.DpkgTriggerInterest;
import io.dormant.adapters.deb.DpkgTriggers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which installed packages' triggers the unpacked packages activate: file triggers by the paths
 * they unpack (interest in a directory covers everything below it), explicit triggers by their
 * own {@code activate} directives. dpkg then runs each interested postinst once with
 * {@code triggered} and the names of its activated triggers, in the order the packages were first
 * activated (dpkg's deferred queue).
 */
final class TriggerActivation {

    private DpkgTriggers interests;
    /** dpkg's deferred trigger queue: a package joins it at its first activation and keeps its place. */
    private final Set<String> queue = new LinkedHashSet<>();
    private final Map<String, Set<String>> pending = new LinkedHashMap<>();
    /** Packages of the set from the start of their unpack to the end of their configure. */
    private final Set<String> notConfigured = new LinkedHashSet<>();
    /** What the status file shows of the activations, for the scripts that run before they are processed. */
    private final TriggerStates states;
    private final Predicate<String> configured;

    /**
     * @param configured whether a package, named as the trigger files name it, is configured in
     *                   the status now: dpkg records nothing for one that is not (a stale interest
     *                   of a removed package, one deconfigured on the way)
     */
    TriggerActivation(DpkgTriggers interests, TriggerStates states, Predicate<String> configured) {
        this.interests = interests;
        this.states = states;
        this.configured = configured;
    }

    /** The interests changed (a package's new version was recorded): later activations go by these. */
    void interestsChanged(DpkgTriggers changed) {
        this.interests = changed;
    }

    /**
     * dpkg's trig_record_activation: a package below triggers-awaited (one of the set between the
     * start of its unpack and the end of its configure) is "not interested then"; its postinst
     * configure stands for the trigger.
     *
     * @param awaiter the activating package, which awaits the trigger unless the interest is
     *                noawait; null when the activation is noawait
     */
    private void record(DpkgTriggerInterest interest, String trigger, String awaiter) {
        String interested = interest.packageName();
        String name = interested.contains(":") ? interested.substring(0, interested.indexOf(':')) : interested;
        if (notConfigured.contains(name)) {
            return;
        }
        pending.computeIfAbsent(interested, p -> new LinkedHashSet<>()).add(trigger);
        queue.add(interested);
        if (configured.test(interested)) {
            states.noted(interested, trigger, interest.noawait() ? null : awaiter);
        }
    }

    /** The package's unpack starts: its status drops to half-installed, and dpkg drops its pending triggers. */
    void unpacking(String label) {
        notConfigured.add(bareName(label));
        dropPending(label);
    }

    /**
     * The package is deconfigured on the way (half-configured until its configure later in the
     * run): dpkg drops its pending triggers and records none until then.
     */
    void deconfigured(String label) {
        notConfigured.add(bareName(label));
        dropPending(label);
    }

    /** The package's postinst configure starts: dpkg drops its pending triggers, and notes it installed after. */
    void configuring(String label) {
        dropPending(label);
    }

    /** The package's postinst configure ran. */
    void configured(String label) {
        notConfigured.remove(bareName(label));
    }

    /** The package's triggered postinst is about to run: what is pending for it is no longer in its status. */
    void running(String label) {
        states.dropped(label);
    }

    private static String bareName(String label) {
        return label.contains(":") ? label.substring(0, label.indexOf(':')) : label;
    }

    private void dropPending(String label) {
        pending.keySet().removeIf(p -> p.equals(label) || p.equals(bareName(label)));
        states.dropped(label);
    }

    /**
     * The activate directives of a triggers file, as dpkg activates them when it starts processing
     * {@code label}'s package, which awaits them unless a directive is noawait.
     */
    void activatedBy(io.dormant.adapters.deb.DebTriggers triggersFile, String label) {
        for (DebTriggerDirective activation : triggersFile.activations()) {
            activatedByName(activation.trigger(), activation.kind().awaits() ? label : null);
        }
    }

    /**
     * The paths a package unpacked: each activates the file interests in it and in every directory
     * above it (dpkg's trig_path_activate), awaited by the package {@code label}.
     */
    void activatedByPaths(List<String> paths, String label) {
        for (DpkgTriggerInterest interest : interests.fileInterests()) {
            String prefix = interest.trigger();
            for (String path : paths) {
                if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                    record(interest, prefix, label);
                    break;
                }
            }
        }
    }

    /**
     * A trigger activated by its name, by an {@code activate} directive or by dpkg-trigger: a name
     * starting with "/" is a file trigger, and activates the interests in exactly that path (not
     * those in the directories above it, as an unpacked path does), as dpkg's
     * {@code trig_file_activate_byname}; any other name the explicit interests in it.
     *
     * @param awaiter the package that awaits it, null for none
     */
    void activatedByName(String trigger, String awaiter) {
        List<DpkgTriggerInterest> candidates = trigger.startsWith("/")
                ? interests.fileInterests() : interests.explicitInterests();
        for (DpkgTriggerInterest interest : candidates) {
            if (interest.trigger().equals(trigger)) {
                record(interest, trigger, awaiter);
            }
        }
    }

    /**
     * Triggers that scripts activated with dpkg-trigger went to /var/lib/dpkg/triggers/Unincorp;
     * dpkg takes them in and empties the file, and so does this. Each line names the trigger and
     * the package that awaits it, "-" for none (dpkg-trigger --no-await).
     */
    void activatedDuringScripts(io.dormant.adapters.rootfs.RootedFiles image) throws java.io.IOException {
        java.nio.file.Path unincorp = image.resolve("/var/lib/dpkg/triggers/Unincorp", false);
        if (!java.nio.file.Files.isRegularFile(unincorp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String line : java.nio.file.Files.readAllLines(unincorp)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty()) {
                continue;
            }
            activatedByName(fields[0], fields.length > 1 && !fields[1].equals("-") ? fields[1] : null);
        }
        java.nio.file.Files.write(unincorp, new byte[0]);
    }

    /**
     * Interested package → its activated triggers, the newest first as dpkg passes them to the
     * postinst, the packages in the order they were first activated; what is taken is no longer
     * pending here, but stays in the package's status until {@link #running}.
     */
    Map<String, List<String>> takePending() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String name : queue) {
            Set<String> triggers = pending.get(name);
            if (triggers != null) {
                List<String> newestFirst = new ArrayList<>(triggers);
                java.util.Collections.reverse(newestFirst);
                result.put(name, newestFirst);
            }
        }
        pending.clear();
        queue.clear();
        return result;
    }
}
