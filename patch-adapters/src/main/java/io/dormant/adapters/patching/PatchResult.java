package io.dormant.adapters.patching;

import io.dormant.adapters.deb.apply.DebApplyReport;
import io.dormant.adapters.deb.plan.DebPlan;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.StagedVersion;
import java.util.List;

/**
 * An apply: the version it started from, the plan, what was done, the staged result (null on a dry
 * run or an empty plan) and, once checked in, the new version.
 */
public record PatchResult(ImageVersion from, DebPlan plan, DebApplyReport report, StagedVersion staged,
                          ImageVersion created, List<AppliedPatch> applied, List<String> warnings) {

    PatchResult checkedIn(ImageVersion version) {
        return new PatchResult(from, plan, report, staged, version, applied, warnings);
    }
}
