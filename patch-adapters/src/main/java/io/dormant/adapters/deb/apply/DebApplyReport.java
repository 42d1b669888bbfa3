package io.dormant.adapters.deb.apply;

import java.util.List;

/**
 * The report of one offline apply: per package the files, scripts and tiers; the triggers run;
 * every step deferred to first boot; what the plan skipped and why; and the apply's own notes
 * (the image's dpkg options it does not follow), beside the plan's.
 */
public record DebApplyReport(List<PackageReport> packages, List<ScriptReport> triggers, List<String> deferredSteps,
                             List<String> skipped, List<String> notes) {

    public int filesAdded() {
        return packages.stream().mapToInt(p -> p.added().size()).sum();
    }

    public int filesChanged() {
        return packages.stream().mapToInt(p -> p.changed().size()).sum();
    }

    /** The paths the image's dpkg path filters kept from being unpacked. */
    public int filesFiltered() {
        return packages.stream().mapToInt(p -> p.filtered().size()).sum();
    }

    public int filesRemoved() {
        return packages.stream().mapToInt(p -> p.removed().size()).sum();
    }
}
