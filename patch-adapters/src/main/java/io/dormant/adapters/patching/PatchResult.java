package io.dormant.adapters.patching;

import io.dormant.adapters.deb.apply.DebApplyReport;
import io.dormant.adapters.deb.plan.DebPlan;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.StagedVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An apply: the version it started from, the plan, what was done, the staged result (null on a dry
 * run or an empty plan), once checked in the new version, and where the time went, in
 * milliseconds per phase.
 */
public record PatchResult(ImageVersion from, DebPlan plan, DebApplyReport report, StagedVersion staged,
                          ImageVersion created, List<AppliedPatch> applied, List<String> warnings, Map<String, Long> timings) {

    PatchResult checkedIn(ImageVersion version, long checkInMillis) {
        Map<String, Long> times = new LinkedHashMap<>(timings);
        times.put("check-in", checkInMillis);
        return new PatchResult(from, plan, report, staged, version, applied, warnings, times);
    }
}
