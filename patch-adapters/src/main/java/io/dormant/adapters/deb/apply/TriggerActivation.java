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

    TriggerActivation(DpkgTriggers interests) {
        this.interests = interests;
    }

    /** The interests changed (a package's new version was recorded): later activations go by these. */
    void interestsChanged(DpkgTriggers changed) {
        this.interests = changed;
    }

    /**
     * dpkg's trig_record_activation: a package below triggers-awaited (one of the set between the
     * start of its unpack and the end of its configure) is "not interested then"; its postinst
     * configure stands for the trigger.
     */
    private void record(String interested, String trigger) {
        String name = interested.contains(":") ? interested.substring(0, interested.indexOf(':')) : interested;
        if (notConfigured.contains(name)) {
            return;
        }
        pending.computeIfAbsent(interested, p -> new LinkedHashSet<>()).add(trigger);
        queue.add(interested);
    }

    /** The package's unpack starts: its status drops to half-installed, and dpkg drops its pending triggers. */
    void unpacking(String name) {
        notConfigured.add(name);
        dropPending(name);
    }

    /** The package's postinst configure ran: dpkg clears its pending triggers and notes it installed. */
    void configured(String name) {
        notConfigured.remove(name);
        dropPending(name);
    }

    private void dropPending(String name) {
        pending.keySet().removeIf(p -> p.equals(name) || p.startsWith(name + ":"));
    }

    /** The activate directives of a triggers file, as dpkg activates them when it starts processing a package. */
    void activatedBy(io.dormant.adapters.deb.DebTriggers triggersFile) {
        for (DebTriggerDirective activation : triggersFile.activations()) {
            activatedByName(activation.trigger());
        }
    }

    /**
     * The paths a package unpacked: each activates the file interests in it and in every directory
     * above it (dpkg's trig_path_activate).
     */
    void activatedByPaths(List<String> paths) {
        for (DpkgTriggerInterest interest : interests.fileInterests()) {
            String prefix = interest.trigger();
            for (String path : paths) {
                if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                    record(interest.packageName(), prefix);
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
     */
    void activatedByName(String trigger) {
        List<DpkgTriggerInterest> candidates = trigger.startsWith("/")
                ? interests.fileInterests() : interests.explicitInterests();
        for (DpkgTriggerInterest interest : candidates) {
            if (interest.trigger().equals(trigger)) {
                record(interest.packageName(), trigger);
            }
        }
    }

    /**
     * Triggers that scripts activated with dpkg-trigger went to /var/lib/dpkg/triggers/Unincorp;
     * dpkg takes them in and empties the file, and so does this.
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
            activatedByName(fields[0]);
        }
        java.nio.file.Files.write(unincorp, new byte[0]);
    }

    /** Interested package → its activated triggers, in activation order; what is taken is no longer pending. */
    Map<String, List<String>> takePending() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String name : queue) {
            Set<String> triggers = pending.get(name);
            if (triggers != null) {
                result.put(name, new ArrayList<>(triggers));
            }
        }
        pending.clear();
        queue.clear();
        return result;
    }
}
