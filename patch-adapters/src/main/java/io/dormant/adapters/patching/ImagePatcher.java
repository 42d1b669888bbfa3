package io.dormant.adapters.patching;

import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.DeferredReason;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.deb.AptConfiguration;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.deb.apply.DebApplier;
import io.dormant.adapters.deb.apply.DebApplyReport;
import io.dormant.adapters.deb.apply.DebCache;
import io.dormant.adapters.deb.apply.DecodeAhead;
import io.dormant.adapters.deb.plan.DebPlan;
import io.dormant.adapters.deb.plan.DebPlanOptions;
import io.dormant.adapters.deb.plan.DebPlanRefusedException;
import io.dormant.adapters.deb.plan.DebPlanner;
import io.dormant.adapters.firstboot.DeferredStep;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.firstboot.FirstBootQueue;
import io.dormant.library.audit.AuditDetails;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.StagedVersion;
import io.dormant.library.fs.HostTrees;
import io.dormant.library.catalogue.VersionReason;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ImageLibrary;
import io.dormant.library.progress.Progress;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code patch apply}: reads the package files, plans them against the version's own dpkg
 * database, applies them over an overlay of a cached checkout (so the source version is never
 * touched), carries the changes into a workspace, queues the deferred steps for first boot and
 * checks the result in as the next version. Any failure discards everything.
 */
public final class ImagePatcher {

    /** Packages a version summary names; a campaign set of dozens would make `image versions` unreadable. */
    private static final int SUMMARY_PACKAGES = 4;

    /**
     * Removes an apply's scratch once its result is staged, off the apply's path, in a process
     * that lives on. One thread: removals queue rather than compete with the next apply for cores.
     */
    private static final java.util.concurrent.ExecutorService REMOVAL = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "scratch-removal");
                thread.setDaemon(true);
                return thread;
            });

    private final ImageLibrary library;
    private final Path scratchParent;
    private final ActionPolicy policy;
    private final boolean removeLater;

    public ImagePatcher(ImageLibrary library, Path scratchParent, ActionPolicy policy) {
        this(library, scratchParent, policy, false);
    }

    private ImagePatcher(ImageLibrary library, Path scratchParent, ActionPolicy policy, boolean removeLater) {
        this.library = library;
        this.scratchParent = scratchParent;
        this.policy = policy;
        this.removeLater = removeLater;
    }

    /**
     * The same, removing each apply's scratch after the result is returned: for a process that
     * lives on (the engine, the resident process). A process that exits right after must not,
     * or it would leave the scratch for the next apply's sweep to remove.
     */
    public ImagePatcher removingScratchLater() {
        return new ImagePatcher(library, scratchParent, policy, true);
    }

    /**
     * Waits, up to {@code limit}, for the scratch removals queued so far: for a process about to
     * exit, which would otherwise leave a half-removed scratch for the next apply's sweep.
     */
    public static void awaitScratchRemovals(java.time.Duration limit) {
        try {
            REMOVAL.submit(() -> { }).get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // what is left is swept by the next apply
        }
    }

    /** Plans, applies and checks the result in as the next version at once (no approval between). */
    public PatchResult apply(VersionRef ref, List<Path> packageFiles, PatchOptions options, String actor, Progress progress)
            throws IOException {
        try (PackageFiles reading = PackageFiles.read(packageFiles)) {
            return apply(ref, reading, options, actor, progress);
        }
    }

    /** As {@link #apply(VersionRef, List, PatchOptions, String, Progress)}, with the package files already being read. */
    public PatchResult apply(VersionRef ref, PackageFiles packageFiles, PatchOptions options, String actor, Progress progress)
            throws IOException {
        PatchResult staged = stage(ref, packageFiles, options, actor, progress);
        if (staged.staged() == null) {
            return staged;
        }
        progress.phase("checking in");
        long checkingIn = System.nanoTime();
        ImageVersion created = checkIn(library, staged.staged(), staged.applied(), actor);
        return staged.checkedIn(created, (System.nanoTime() - checkingIn) / 1_000_000);
    }

    /**
     * Plans and applies, and stages the result: durable in the store, not a version yet. The source
     * version is never touched; a failure leaves nothing staged.
     */
    public PatchResult stage(VersionRef ref, List<Path> packageFiles, PatchOptions options, String actor, Progress progress)
            throws IOException {
        try (PackageFiles reading = PackageFiles.read(packageFiles)) {
            return stage(ref, reading, options, actor, progress);
        }
    }

    private PatchResult stage(VersionRef ref, PackageFiles packageFiles, PatchOptions options, String actor, Progress progress)
            throws IOException {
        PhaseTimes times = new PhaseTimes();
        ImageVersion from = library.catalogue().version(ref);
        // A dry run needs no checkout; any other apply begins it now, beside the reading and planning.
        try (CheckoutAhead checkout = options.dryRun() ? null : CheckoutAhead.start(library, from, scratchParent)) {
            return stage(from, checkout, packageFiles, options, actor, progress, times);
        }
    }

    private PatchResult stage(ImageVersion from, CheckoutAhead checkingOut, PackageFiles packageFiles, PatchOptions options,
                              String actor, Progress progress, PhaseTimes times) throws IOException {
        progress.phase("reading " + packageFiles.files().size() + " package file(s)");
        Map<String, Path> files = new LinkedHashMap<>();
        List<DebPackage> packages = packageFiles.packages();
        for (int i = 0; i < packages.size(); i++) {
            files.put(packages.get(i).sha256(), packageFiles.files().get(i));
        }
        times.mark("read packages");
        DebApplier applier = new DebApplier(new ConfinedScript(), policy, times, progress,
                new DebApplier.Caches(library.cacheDir(DebCache.BYTE_COMPILE.directory()), library.cacheDir(DebCache.DATA.directory())))
                .scriptTimeout(ScriptInvocation.timeoutFrom(System.getenv()));
        try (DecodeAhead ahead = options.dryRun() ? DecodeAhead.NONE : applier.decodeAhead(files)) {
            return stage(from, checkingOut, packages, files, applier, ahead, options, actor, progress, times);
        }
    }

    private PatchResult stage(ImageVersion from, CheckoutAhead checkingOut, List<DebPackage> packages, Map<String, Path> files,
                              DebApplier applier, DecodeAhead ahead, PatchOptions options, String actor, Progress progress,
                              PhaseTimes times) throws IOException {
        // Planned from the version's tree in the store: a dry run needs no checkout.
        DebPlan plan = plan(ImageFiles.of(Workspace.open(library.store(), from.root())), packages, options);
        times.mark("plan");
        if (options.dryRun() || plan.isEmpty()) {
            return new PatchResult(from, plan, null, null, null, List.of(), List.of(), times.asMap());
        }
        Files.createDirectories(scratchParent);
        List<String> swept = AbandonedScratch.sweep(scratchParent);
        Path scratch = Files.createTempDirectory(scratchParent, AbandonedScratch.PREFIX);
        boolean removed = false;
        try {
            AbandonedScratch.claim(scratch);
            progress.phase("checking out " + from.ref());
            CheckoutAhead.Checkout checkout = checkingOut.await(progress);
            times.mark("checkout");
            DebApplyReport report;
            List<String> warnings;
            Workspace workspace = Workspace.open(library.store(), from.root(), scratch.resolve("staging"));
            try (OverlayMount overlay = OverlayMount.mount(checkout.tree(), checkout.dataLayer(), scratch);
                 EarlyContents early = new EarlyContents(overlay.upper(), scratch.resolve("early-store-mark"), workspace)) {
                times.mark("overlay mount");
                boolean storeEarly = EarlyContents.available();
                if (storeEarly) {
                    applier.afterUnpack(early::unpacked);
                }
                report = applier.confiningIn(Files.createDirectory(scratch.resolve("confine"))).apply(overlay.merged(), plan, files, ahead);
                times.mark("apply");
                progress.phase("recording the changes");
                early.finish();
                times.mark("ingest: waiting for early stores");
                warnings = new ArrayList<>(swept);
                warnings.addAll(new UpperDirIngest(overlay.upper(), workspace, storeEarly ? early : null).apply(overlay.changes()));
                times.mark("ingest changes");
            }
            times.mark("overlay unmount");
            queueDeferred(workspace, report);
            progress.phase("storing the new tree");
            StagedVersion staged = library.stage(from, workspace, VersionReason.PATCH, actor, summary(report));
            times.mark("stage");
            List<AppliedPatch> applied = plan.packages().stream().map(planned -> new AppliedPatch(planned.label(),
                    planned.patch().version().toString(),
                    planned.installedVersion() == null ? "" : planned.installedVersion().toString(),
                    planned.patch().sha256(), files.get(planned.patch().sha256()).getFileName().toString(),
                    planned.patch().architecture(), planned.patch().size())).toList();
            if (removeLater) {
                REMOVAL.execute(() -> HostTrees.removeQuietly(scratch));
            } else {
                HostTrees.removeQuietly(scratch);
            }
            removed = true;
            times.mark("scratch removal");
            return new PatchResult(from, plan, report, staged, null, applied, warnings, times.asMap());
        } finally {
            if (!removed) {
                HostTrees.removeQuietly(scratch);
            }
        }
    }

    /** Makes a staged apply the next version and records each package it applied in the audit trail. */
    public static ImageVersion checkIn(ImageLibrary library, StagedVersion staged, List<AppliedPatch> applied, String actor) {
        ImageVersion created = library.checkIn(staged, actor);
        library.patches().record(created, applied.stream().map(AppliedPatch::asPatchFile).toList());
        for (AppliedPatch patch : applied) {
            library.audit().append(actor, "patch.applied", "image:" + created.ref(), AuditDetails.of(new java.util.TreeMap<>(
                    Map.of("package", patch.packageName(), "version", patch.version(), "from", patch.fromVersion(),
                            "sha256", patch.sha256(), "file", patch.file()))));
        }
        return created;
    }

    private static DebPlan plan(ImageFiles image, List<DebPackage> packages, PatchOptions options) throws IOException {
        DebPlanOptions planOptions = (options.installNew() ? DebPlanOptions.DEFAULTS.withInstallNew() : DebPlanOptions.DEFAULTS)
                .withInstallRecommends(!options.withoutRecommends() && AptConfiguration.of(image).installsRecommends());
        try {
            return DebPlanner.plan(new DpkgDatabase(image).status(), packages, planOptions);
        } catch (DebPlanRefusedException e) {
            throw new PatchRefusedException(e.reasons());
        }
    }

    private static void queueDeferred(Workspace workspace, DebApplyReport report) {
        FirstBootQueue queue = new FirstBootQueue(workspace);
        for (String deferred : report.deferredSteps()) {
            String[] parts = deferred.split("\t", 3);
            String why = parts[2].startsWith("/var/lib/dpkg/") ? "the action policy defers this maintainer script"
                    : DeferredReason.of(parts[2]);
            queue.add(new DeferredStep(parts[0], parts[1], why, parts[2]));
        }
    }

    /**
     * The version's one-line summary, as `image versions` and the audit trail show it: a set of
     * dozens of packages names the first few and counts the rest (`image patches` lists them all).
     */
    static String summary(DebApplyReport report) {
        int count = report.packages().size();
        StringBuilder text = new StringBuilder(count <= SUMMARY_PACKAGES ? "patched with "
                : "patched " + count + " packages: ");
        report.packages().stream().limit(SUMMARY_PACKAGES)
                .forEach(p -> text.append(p.name()).append(' ').append(p.toVersion()).append(", "));
        text.setLength(text.length() - 2);
        if (count > SUMMARY_PACKAGES) {
            text.append(" and ").append(count - SUMMARY_PACKAGES).append(" more");
        }
        if (!report.deferredSteps().isEmpty()) {
            text.append("; ").append(report.deferredSteps().size()).append(" step(s) deferred to first boot");
        }
        return text.toString();
    }
}
