package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebRelation;
import io.dormant.adapters.deb.DebRelationGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package instances of an image, as it is or as a plan would leave it, indexed by name and by
 * what they provide. Instances dpkg only remembers (not-installed, config-files) are not in it.
 */
final class DebInstalledSet {

    /** A Provides entry: {@code provider} provides {@code provided} (name, and version when written). */
    record Provider(DebInstance provider, DebRelation provided) {
    }

    private final List<DebInstance> instances;
    private final Map<String, List<DebInstance>> byName = new LinkedHashMap<>();
    private final Map<String, List<Provider>> providers = new LinkedHashMap<>();

    DebInstalledSet(List<DebInstance> instances) {
        this.instances = instances.stream().filter(DebInstance::isPresent).toList();
        for (DebInstance instance : this.instances) {
            byName.computeIfAbsent(instance.name(), n -> new ArrayList<>()).add(instance);
            for (DebRelationGroup group : instance.relations().provides().groups()) {
                for (DebRelation provided : group.alternatives()) {
                    providers.computeIfAbsent(provided.name(), n -> new ArrayList<>()).add(new Provider(instance, provided));
                }
            }
        }
    }

    /**
     * This set with each planned package in: an upgrade takes the place of the instance it
     * upgrades, an install is added. Planned packages come first, so their problems are listed first.
     *
     * @param replaced planned instance to the image's instance it replaces, or to null
     */
    DebInstalledSet with(Map<DebInstance, DebInstance> replaced) {
        List<DebInstance> out = new ArrayList<>(replaced.keySet());
        instances.stream().filter(i -> !replaced.containsValue(i)).forEach(out::add);
        return new DebInstalledSet(out);
    }

    List<DebInstance> instances() {
        return instances;
    }

    List<DebInstance> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    List<Provider> providersOf(String name) {
        return providers.getOrDefault(name, List.of());
    }

    /** Package names with more than one instance (Multi-Arch: same, or a conflict). */
    List<List<DebInstance>> sharedNames() {
        return byName.values().stream().filter(l -> l.size() > 1).toList();
    }
}
