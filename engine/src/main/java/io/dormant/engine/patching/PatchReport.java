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
                          List<String> deferred, List<String> warnings, java.util.Map<String, Long> timings) {

    public static PatchReport of(PatchResult result) {
        return of(result, result.timings());
    }

    /** With where the time went, in milliseconds per phase (the command line adds JVM start and library open). */
    public static PatchReport of(PatchResult result, java.util.Map<String, Long> timings) {
        var report = result.report();
        return new PatchReport(result.from().ref(),
                result.staged() == null ? null : "staged " + result.staged().id(),
                result.created() == null ? null : result.created().ref(),
                result.plan().packages().stream().map(p -> p.label() + " " + p.action().name().toLowerCase()
                        + " " + (p.installedVersion() == null ? "-" : p.installedVersion()) + " -> " + p.patch().version()).toList(),
                result.plan().skipped().stream().map(s -> s.fileName() + ": " + s.reason()).toList(),
                report == null ? result.plan().notes()
                        : java.util.stream.Stream.concat(result.plan().notes().stream(), report.notes().stream()).toList(),
                report == null ? List.of() : report.packages(), report == null ? List.of() : report.triggers(),
                report == null ? List.of() : report.deferredSteps(), result.warnings(), timings);
    }

    /** The readable report: plan, what was applied, kept conffiles, deferred steps, warnings. */
    public static String text(PatchResult result) {
        return planText(result) + outcomeText(result);
    }

    /** The plan as a table: each package, its action, the installed and the new version. */
    public static String planText(PatchResult result) {
        return "plan for " + result.from().ref() + ":\n" + result.plan().describe().stripTrailing().indent(2);
    }

    /** What the apply did: counts, scripts by tier, kept conffiles, deferred steps, warnings, then each script call. */
    public static String outcomeText(PatchResult result) {
        return summaryText(result) + scriptsText(result);
    }

    /** What the apply did, without the list of script calls: counts, kept conffiles, deferred steps, warnings. */
    public static String summaryText(PatchResult result) {
        StringBuilder out = new StringBuilder();
        if (result.report() == null) {
            out.append(result.plan().isEmpty() ? "nothing to apply: no new version\n" : "dry run: nothing changed\n");
            return out.toString();
        }
        var report = result.report();
        out.append(String.format("applied %d packages: %d files added, %d changed, %d removed%n", report.packages().size(),
                report.filesAdded(), report.filesChanged(), report.filesRemoved()));
        if (report.filesFiltered() > 0) {
            out.append(String.format("  %d listed files not unpacked: the image's dpkg path filters exclude them"
                    + " (path-exclude in /etc/dpkg/dpkg.cfg.d), as dpkg does%n", report.filesFiltered()));
        }
        // The plan's notes were printed with the plan; the apply's own follow.
        report.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
        List<ScriptReport> scripts = scripts(report);
        out.append(String.format("scripts and triggers: %d (%d emulated: not run, their actions done by Dormant; %d run confined:"
                        + " no network, services not started; %d deferred whole)%n", scripts.size(), tierCount(scripts, "emulate"),
                tierCount(scripts, "confine"), tierCount(scripts, "defer")));
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

    /** Each script call, its tier, and what it did or why it was not emulated; long, so it comes last. */
    public static String scriptsText(PatchResult result) {
        if (result.report() == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (ScriptReport script : scripts(result.report())) {
            out.append(String.format("  %-8s %-22s %-44s %s%n", script.tier(), script.packageName(),
                    script.script() + " " + String.join(" ", script.args()), actionSummary(script)).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static List<ScriptReport> scripts(io.dormant.adapters.deb.apply.DebApplyReport report) {
        List<ScriptReport> scripts = new java.util.ArrayList<>();
        report.packages().forEach(p -> scripts.addAll(p.scripts()));
        scripts.addAll(report.triggers());
        return scripts;
    }

    /** Emulated: its actions by kind ("enable-unit x2, maintscript-helper"); otherwise why it was not emulated. */
    private static String actionSummary(ScriptReport script) {
        if (!script.tier().equals("emulate")) {
            return script.actions().isEmpty() ? "" : script.actions().get(0);
        }
        java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
        script.actions().forEach(a -> kinds.merge(a.contains(":") ? a.substring(0, a.indexOf(':')) : a, 1L, Long::sum));
        script.deferred().forEach(d -> kinds.merge("deferred", 1L, Long::sum));
        if (kinds.isEmpty()) {
            return "nothing to do for these arguments";
        }
        return kinds.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static long tierCount(List<ScriptReport> scripts, String tier) {
        return scripts.stream().filter(s -> s.tier().equals(tier)).count();
    }
}
