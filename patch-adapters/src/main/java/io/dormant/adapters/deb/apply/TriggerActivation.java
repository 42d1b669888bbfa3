package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebPackage;
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
 * {@code triggered} and the names of its activated triggers.
 */
final class TriggerActivation {

    private DpkgTriggers interests;
    private final Map<String, Set<String>> pending = new LinkedHashMap<>();

    TriggerActivation(DpkgTriggers interests) {
        this.interests = interests;
    }

    /** The interests changed (a package's new version was recorded): later activations go by these. */
    void interestsChanged(DpkgTriggers changed) {
        this.interests = changed;
    }

    void activatedBy(DebPackage pkg, List<String> paths) {
        for (DpkgTriggerInterest interest : interests.fileInterests()) {
            String prefix = interest.trigger();
            for (String path : paths) {
                if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                    pending.computeIfAbsent(interest.packageName(), p -> new LinkedHashSet<>()).add(prefix);
                    break;
                }
            }
        }
        for (DebTriggerDirective activation : pkg.triggers().activations()) {
            activatedByName(activation.trigger());
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
                pending.computeIfAbsent(interest.packageName(), p -> new LinkedHashSet<>()).add(trigger);
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
        pending.forEach((name, triggers) -> result.put(name, new ArrayList<>(triggers)));
        pending.clear();
        return result;
    }
}
