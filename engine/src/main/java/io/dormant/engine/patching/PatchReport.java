package io.dormant.engine.patching;

import io.dormant.adapters.deb.apply.PackageReport;
import io.dormant.adapters.deb.apply.ScriptReport;
import io.dormant.adapters.patching.PatchResult;
import java.util.List;

/**
 * The report of one apply, as an admin reads it: the same words on the command line, in the
 * approval task of a patch run and in {@code /api/runs}. {@link #of} is its JSON form.
 */
public record PatchReport(String from, String staged, String created, List<String> plan, List<String> skipped,
                          List<String> notes, List<PackageReport> packages, List<ScriptReport> triggers,
                          List<String> deferred, List<String> warnings) {

    public static PatchReport of(PatchResult result) {
        var report = result.report();
        return new PatchReport(result.from().ref(),
                result.staged() == null ? null : "staged " + result.staged().id(),
                result.created() == null ? null : result.created().ref(),
                result.plan().packages().stream().map(p -> p.label() + " " + p.action().name().toLowerCase()
                        + " " + (p.installedVersion() == null ? "-" : p.installedVersion()) + " -> " + p.patch().version()).toList(),
                result.plan().skipped().stream().map(s -> s.fileName() + ": " + s.reason()).toList(),
                result.plan().notes(),
                report == null ? List.of() : report.packages(), report == null ? List.of() : report.triggers(),
                report == null ? List.of() : report.deferredSteps(), result.warnings());
    }

    /** The readable report: plan, what was applied, kept conffiles, deferred steps, warnings. */
    public static String text(PatchResult result) {
        return planText(result) + outcomeText(result);
    }

    /** The plan as a table: each package, its action, the installed and the new version. */
    public static String planText(PatchResult result) {
        return "plan for " + result.from().ref() + ":\n" + result.plan().describe().stripTrailing().indent(2);
    }

    /** What the apply did: counts, scripts by tier, kept conffiles, deferred steps, warnings. */
    public static String outcomeText(PatchResult result) {
        StringBuilder out = new StringBuilder();
        if (result.report() == null) {
            out.append(result.plan().isEmpty() ? "nothing to apply: no new version\n" : "dry run: nothing changed\n");
            return out.toString();
        }
        var report = result.report();
        out.append(String.format("applied %d packages: %d files added, %d changed, %d removed%n", report.packages().size(),
                report.filesAdded(), report.filesChanged(), report.filesRemoved()));
        List<ScriptReport> scripts = new java.util.ArrayList<>(report.triggers());
        report.packages().forEach(p -> scripts.addAll(p.scripts()));
        java.util.Map<String, Long> byTier = new java.util.TreeMap<>();
        scripts.forEach(s -> byTier.merge(s.tier(), 1L, Long::sum));
        out.append(String.format("scripts and triggers: %d %s%n", scripts.size(), tiers(byTier)));
        for (PackageReport p : report.packages()) {
            for (String kept : p.conffilesKept()) {
                out.append("  kept your ").append(kept).append("; the package's version is ").append(kept).append(".dpkg-dist\n");
            }
            p.warnings().forEach(w -> out.append("  warning: ").append(p.name()).append(": ").append(w).append('\n'));
        }
        if (!report.deferredSteps().isEmpty()) {
            out.append("deferred to first boot (").append(report.deferredSteps().size()).append("):\n");
            for (String step : report.deferredSteps()) {
                String[] parts = step.split("\t", 3);
                out.append(String.format("  %-20s %-32s %s%n", parts[0], parts[1], parts.length > 2 ? parts[2] : ""));
            }
        }
        result.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        return out.toString();
    }

    /** "(12 confine, 3 defer)": confine means run with no network and no service started. */
    private static String tiers(java.util.Map<String, Long> byTier) {
        if (byTier.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("(");
        byTier.forEach((tier, count) -> text.append(count).append(' ').append(tier).append(", "));
        text.setLength(text.length() - 2);
        return text.append(')').toString();
    }
}
