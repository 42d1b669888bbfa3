package io.dormant.adapters.patching;

import io.dormant.adapters.deb.apply.DebApplyReport;
import io.dormant.adapters.deb.plan.DebPlan;
import io.dormant.library.catalogue.ImageVersion;

/**
 * An apply: the version it started from, the plan, what was done, the new version (null on a dry
 * run), and where the time went, in milliseconds per phase.
 */
public record PatchResult(ImageVersion from, DebPlan plan, DebApplyReport report, ImageVersion created,
                          java.util.List<String> warnings, java.util.Map<String, Long> timings) {
}
