package io.dormant.engine.cli;

import io.dormant.adapters.patching.ImagePatcher;
import io.dormant.adapters.patching.PackageFiles;
import io.dormant.adapters.patching.PatchOptions;
import io.dormant.adapters.patching.PatchResult;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.engine.patching.ApplyScratch;
import io.dormant.engine.patching.PatchReport;
import io.dormant.engine.policy.DmnActionPolicy;
import io.dormant.engine.policy.RememberedPolicy;
import io.dormant.library.DormantHome;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant patch apply}: updates applied offline, checked in as the next version. */
@Command(name = "patch", mixinStandardHelpOptions = true, description = "Apply package updates to an image offline.",
        subcommands = PatchCommand.Apply.class)
final class PatchCommand {

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply .deb files to NAME[@N] offline and check the result in as the next version.",
            footer = {"", "The apply runs in a resident Dormant process, started by the first apply and ended after "
                    + "DORMANT_RESIDENT_IDLE seconds idle (600); DORMANT_RESIDENT=0 runs it in this command's own JVM."})
    static final class Apply implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME[@N]")
        String ref;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Option(names = "--dry-run", description = "Plan only: show what would be applied and why, change nothing.")
        boolean dryRun;

        @Option(names = "--install-new", description = "Also install packages the image does not have yet.")
        boolean installNew;

        @Option(names = "--no-install-recommends",
                description = "Install no package the set offers only because a planned one recommends it"
                        + " (by default the plan does as the image's apt: APT::Install-Recommends).")
        boolean noInstallRecommends;

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
            timings.put("jvm start", opening - Invocation.startedAt());
            PatchResult result;
            // The package files are read while the library opens: neither needs the other.
            try (PackageFiles reading = PackageFiles.read(files)) {
                ImageLibrary library = LibraryAccess.open();
                timings.put("library open", System.currentTimeMillis() - opening);
                Path scratch = ApplyScratch.choose(System.getenv(), DormantHome.resolve(System.getenv()));
                try (ConsoleProgress progress = new ConsoleProgress("checking out", System.err, !json)) {
                    ActionPolicy policy = policyFile == null ? shippedRemembered() : DmnActionPolicy.fromFile(policyFile);
                    ImagePatcher patcher = new ImagePatcher(library, scratch, policy);
                    result = (Invocation.resident() ? patcher.removingScratchLater() : patcher).apply(VersionRef.parse(ref), reading,
                            new PatchOptions(dryRun, installNew, noInstallRecommends), LibraryAccess.actor(), progress);
                }
            }
            timings.putAll(result.timings());
            PatchReport view = PatchReport.of(result, timings);
            if (reportFile != null) {
                Files.writeString(reportFile, Json.text(view));
            }
            if (json) {
                Json.print(view);
            } else {
                System.out.print(PatchReport.text(result));
                if (result.created() != null) {
                    System.out.println("created " + result.created().ref() + " (from " + result.from().ref() + ")");
                }
            }
            return 0;
        }

        /**
         * The shipped policy with the answers earlier commands got remembered: the DMN engine starts
         * only for a question not asked before (the first apply on a machine, or after an upgrade).
         */
        private static ActionPolicy shippedRemembered() {
            return RememberedPolicy.shipped(DormantHome.resolve(System.getenv()).resolve("cache"));
        }
    }
}
