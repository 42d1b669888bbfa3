package io.dormant.engine.cli;

import io.dormant.adapters.deb.apply.PackageReport;
import io.dormant.adapters.deb.apply.ScriptReport;
import io.dormant.adapters.patching.ImagePatcher;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.engine.policy.DmnActionPolicy;
import io.dormant.adapters.patching.PatchOptions;
import io.dormant.adapters.patching.PatchResult;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant patch apply}: updates applied offline, checked in as the next version. */
@Command(name = "patch", mixinStandardHelpOptions = true, description = "Apply package updates to an image offline.",
        subcommands = PatchCommand.Apply.class)
final class PatchCommand {

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply .deb files to NAME[@N] offline and check the result in as the next version.")
    static final class Apply implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME[@N]")
        String ref;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Option(names = "--dry-run", description = "Plan only: show what would be applied and why, change nothing.")
        boolean dryRun;

        @Option(names = "--install-new", description = "Also install packages the image does not have yet.")
        boolean installNew;

        @Option(names = "--report", paramLabel = "FILE.json", description = "Write the full report as JSON to this file.")
        Path reportFile;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Option(names = "--policy", paramLabel = "FILE.dmn",
                description = "Decide tiers with this DMN file (decision Decision_ActionTier) instead of the shipped policy.")
        Path policyFile;

        @Override
        public Integer call() throws Exception {
            java.util.Map<String, Long> timings = new java.util.LinkedHashMap<>();
            long opening = System.currentTimeMillis();
            timings.put("jvm start", opening - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
            ImageLibrary library = LibraryAccess.open();
            timings.put("library open", System.currentTimeMillis() - opening);
            Path scratch = ApplyScratch.choose(System.getenv());
            PatchResult result;
            try (ConsoleProgress progress = new ConsoleProgress("checking out", System.err, !json)) {
                ActionPolicy policy = policyFile == null ? shippedInBackground() : DmnActionPolicy.fromFile(policyFile);
                result = new ImagePatcher(library, scratch, policy).apply(VersionRef.parse(ref), files,
                        new PatchOptions(dryRun, installNew), LibraryAccess.actor(), progress);
            }
            timings.putAll(result.timings());
            PatchView view = PatchView.of(result, timings);
            if (reportFile != null) {
                Files.writeString(reportFile, Json.text(view));
            }
            if (json) {
                Json.print(view);
            } else {
                print(result);
            }
            return 0;
        }

        /**
         * The shipped policy, parsed and asked its first questions on another thread: building the
         * DMN engine and its first evaluation cost about a second, which then overlaps reading the
         * packages and the checkout instead of delaying the first script. (An admin's own file is
         * read at once, so that a broken one fails before anything else.)
         */
        private static ActionPolicy shippedInBackground() {
            CompletableFuture<DmnActionPolicy> shipped = CompletableFuture.supplyAsync(() -> {
                DmnActionPolicy policy = DmnActionPolicy.shipped();
                policy.tierFor(ActionPolicy.MAINTSCRIPT_HELPER, "deb", false);
                policy.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false);
                return policy;
            });
            return (kind, format, sandbox) -> shipped.join().tierFor(kind, format, sandbox);
        }

        private static void print(PatchResult result) {
            System.out.println("plan for " + result.from().ref() + ":");
            System.out.println(result.plan().describe().stripTrailing().indent(2).stripTrailing());
            if (result.report() == null) {
                System.out.println(result.plan().isEmpty() ? "nothing to apply: no new version" : "dry run: nothing changed");
                return;
            }
            var report = result.report();
            int scripts = report.packages().stream().mapToInt(p -> p.scripts().size()).sum() + report.triggers().size();
            System.out.printf("applied %d packages: %d files added, %d changed, %d removed%n", report.packages().size(),
                    report.filesAdded(), report.filesChanged(), report.filesRemoved());
            java.util.List<ScriptReport> all = new java.util.ArrayList<>();
            report.packages().forEach(p -> all.addAll(p.scripts()));
            all.addAll(report.triggers());
            System.out.printf("scripts: %d (%d emulated: not run, their actions done by Dormant; %d run confined: no network,"
                            + " services not started; %d deferred whole), %d triggers%n",
                    scripts, tierCount(all, "emulate"), tierCount(all, "confine"), tierCount(all, "defer"),
                    report.triggers().size());
            for (ScriptReport script : all) {
                System.out.printf("  %-8s %-22s %-44s %s%n", script.tier(), script.packageName(),
                        script.script() + " " + String.join(" ", script.args()), actionSummary(script));
            }
            for (PackageReport p : report.packages()) {
                for (String kept : p.conffilesKept()) {
                    System.out.println("  kept your " + kept + "; the package's version is " + kept + ".dpkg-dist");
                }
                p.warnings().forEach(w -> System.out.println("  warning: " + p.name() + ": " + w));
            }
            if (!report.deferredSteps().isEmpty()) {
                System.out.println("deferred to first boot (" + report.deferredSteps().size() + "):");
                for (String step : report.deferredSteps()) {
                    String[] parts = step.split("\t", 3);
                    System.out.printf("  %-20s %-32s %s%n", parts[0], parts[1], parts[2]);
                }
            }
            result.warnings().forEach(w -> System.out.println("warning: " + w));
            System.out.println("created " + result.created().ref() + " (from " + result.from().ref() + ")");
        }
    }

    /** Emulated: its actions by kind ("enable-unit x2, maintscript-helper"); otherwise why it was not emulated. */
    private static String actionSummary(ScriptReport script) {
        if (!script.tier().equals("emulate")) {
            return script.actions().isEmpty() ? "" : script.actions().get(0);
        }
        java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
        script.actions().forEach(a -> kinds.merge(a.substring(0, a.indexOf(':')), 1L, Long::sum));
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

    /** The JSON form of a patch run. */
    record PatchView(String from, String created, List<String> plan, List<String> skipped, List<String> notes,
                     List<PackageReport> packages, List<ScriptReport> triggers, List<String> deferred, List<String> warnings,
                     java.util.Map<String, Long> timings) {

        static PatchView of(PatchResult result, java.util.Map<String, Long> timings) {
            var report = result.report();
            return new PatchView(result.from().ref(), result.created() == null ? null : result.created().ref(),
                    result.plan().packages().stream().map(p -> p.label() + " " + p.action().name().toLowerCase()
                            + " " + (p.installedVersion() == null ? "-" : p.installedVersion()) + " -> " + p.patch().version()).toList(),
                    result.plan().skipped().stream().map(s -> s.fileName() + ": " + s.reason()).toList(),
                    result.plan().notes(),
                    report == null ? List.of() : report.packages(), report == null ? List.of() : report.triggers(),
                    report == null ? List.of() : report.deferredSteps(), result.warnings(), timings);
        }
    }
}
