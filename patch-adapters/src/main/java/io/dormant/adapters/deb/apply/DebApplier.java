package io.dormant.adapters.deb.apply;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.DeferredReason;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.RecordedCommand;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.deb.DebArchitectureMatch;
import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebTriggers;
import io.dormant.adapters.deb.DpkgConfiguration;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.deb.emulate.EmulatedHelpers;
import io.dormant.adapters.deb.php.PhpModules;
import io.dormant.adapters.deb.php.PhpQuery;
import io.dormant.adapters.deb.plan.DebDeconfiguration;
import io.dormant.adapters.deb.plan.DebPlan;
import io.dormant.adapters.deb.plan.PlannedPackage;
import io.dormant.adapters.deb.python.ByteCompileCache;
import io.dormant.adapters.deb.ucf.UcfHelpers;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import io.dormant.adapters.patching.PhaseTimes;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.ShellWords;
import io.dormant.library.progress.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Applies a planned set of Debian packages to an image tree in dpkg's order for {@code dpkg -i}:
 * for each package old prerm, new preinst, unpack, removal of the files the new version lacks,
 * old postrm and the database; then each new postinst configure; then the triggers they activated.
 * Maintainer scripts run confined (no network, own namespaces, services never started); every
 * service start they ask for is returned as a step deferred to first boot.
 */
public final class DebApplier {

    private static final int MAX_TRIGGER_ROUNDS = 10;
    /** The flag dpkg sets on a package from the start of its unpack until its unpack has ended. */
    private static final DpkgStatus.Flag REINSTALL_REQUIRED = DpkgStatus.Flag.REINSTREQ;
    private static final DpkgStatus HALF_CONFIGURED = DpkgStatus.parse("install ok half-configured");
    private static final int COMPILE_PROCESSES = Math.min(8, Runtime.getRuntime().availableProcessors());
    /** No real package's data archive comes near this; a decompression bomb stops here. */
    private static final long MAX_DATA_BYTES = 8L << 30;

    private ConfinedScript confine;
    /** Whether a byte-compile cache answers in the sandbox: only then are py3compile lines wrapped for it. */
    private final boolean byteCompileCache;
    private final ActionPolicy policy;
    private final PhaseTimes times;
    private final EmulateTier emulate;
    private final Progress progress;
    private final DecodedDataCache decodedData;
    private Consumer<List<String>> afterUnpack = paths -> { };
    private Duration scriptTimeout = ScriptInvocation.DEFAULT_TIMEOUT;
    /** dpkg's own architecture in the image: what a script of an "all" package is told it runs for. */
    private String hostArchitecture = "amd64";
    /** Writes the status the apply has set so far, before a script can read it. */
    private StatusFlush statusFlush = () -> { };
    /** What disappeared during the apply, for the report's notes. */
    private final List<String> disappeared = new ArrayList<>();
    /** Takes in what a script activated with dpkg-trigger, as dpkg does after every script. */
    private StatusFlush afterScript = () -> { };

    private interface StatusFlush {
        void flush() throws IOException;
    }

    public DebApplier(ConfinedScript confine, ActionPolicy policy) {
        this(confine, policy, new PhaseTimes(), Progress.none());
    }

    public DebApplier(ConfinedScript confine, ActionPolicy policy, PhaseTimes times, Progress progress) {
        this(confine, policy, times, progress, Caches.NONE);
    }

    /**
     * Where an apply keeps what the next apply of the same packages, to any image, can reuse; each
     * directory null for nowhere.
     *
     * @param byteCompile python byte-compilation results ({@link ByteCompileCache})
     * @param decodedData decompressed data archives ({@link DecodedDataCache})
     */
    public record Caches(Path byteCompile, Path decodedData) {
        public static final Caches NONE = new Caches(null, null);
    }

    public DebApplier(ConfinedScript confine, ActionPolicy policy, PhaseTimes times, Progress progress, Caches caches) {
        // The catalogue's helpers are answered call by call even in a script that runs confined.
        HelperCalls helpers = new EmulatedHelpers(kind -> policy.tierFor(kind, "deb", false) == ActionTier.EMULATE);
        List<HelperCalls> answered = new ArrayList<>(List.of(helpers,
                new UcfHelpers(() -> policy.tierFor(ActionPolicy.UCF, "deb", false) == ActionTier.EMULATE),
                // A query that changes nothing: answered whatever the policy, as running it would answer.
                new PhpQuery(),
                new PhpModules(() -> policy.tierFor(ActionPolicy.PHP_MODULE, "deb", false) == ActionTier.EMULATE)));
        this.byteCompileCache = caches.byteCompile() != null;
        if (byteCompileCache) {
            answered.add(new ByteCompileCache(caches.byteCompile()));
        }
        this.confine = confine.answering(HelperCalls.all(answered));
        this.decodedData = caches.decodedData() == null ? null : new DecodedDataCache(caches.decodedData());
        this.policy = policy;
        this.times = times;
        this.progress = progress;
        this.emulate = new EmulateTier(policy, times);
    }

    /** How long a confined script may run before it is stopped and the apply fails. */
    public DebApplier scriptTimeout(Duration timeout) {
        this.scriptTimeout = timeout;
        return this;
    }

    /**
     * Where the confined scripts keep their host-side files (call slots, shims, the script): the
     * apply's own scratch, a memory file system by default, where making and removing a script's
     * few dozen files and FIFOs costs a tenth of what it does on a disk's file system.
     */
    public DebApplier confiningIn(Path scratch) {
        this.confine = confine.withScratch(scratch);
        return this;
    }

    /**
     * Tells {@code listener} the paths of each package right after its unpack, while the apply
     * goes on; what it does with them must not change the tree.
     */
    public DebApplier afterUnpack(Consumer<List<String>> listener) {
        this.afterUnpack = listener;
        return this;
    }

    /**
     * @param tree  the image tree to change (an overlay's merged view of the checked-out version)
     * @param files the package file of each planned package, by its SHA-256
     */
    public DebApplyReport apply(Path tree, DebPlan plan, Map<String, Path> files) throws IOException {
        return apply(tree, plan, files, DecodeAhead.NONE);
    }

    /** As {@link #apply(Path, DebPlan, Map)}, going on with the decoding {@code ahead} started. */
    public DebApplyReport apply(Path tree, DebPlan plan, Map<String, Path> files, DecodeAhead ahead) throws IOException {
        // Decompressing the data archives is the slow part; it runs ahead, on every core, while
        // packages are unpacked and their scripts run strictly in order.
        Map<String, Path> inOrder = new LinkedHashMap<>();
        for (PlannedPackage planned : plan.unpackOrder()) {
            inOrder.put(planned.patch().sha256(), files.get(planned.patch().sha256()));
        }
        DecompressedArchives started = ahead.takeFor(inOrder);
        try (DecompressedArchives archives = started != null ? started
                : new DecompressedArchives(inOrder, MAX_DATA_BYTES, decodedData)) {
            return apply(tree, plan, files, archives);
        }
    }

    /**
     * Starts decompressing the largest of {@code files} (package files by SHA-256) now, before the
     * plan and the checkout are there; the caller closes it, and hands it to {@link #apply(Path, DebPlan, Map, DecodeAhead)}.
     */
    public DecodeAhead decodeAhead(Map<String, Path> files) {
        return DecodeAhead.largestOf(files, MAX_DATA_BYTES, decodedData);
    }

    private DebApplyReport apply(Path tree, DebPlan plan, Map<String, Path> files, DecompressedArchives archives)
            throws IOException {
        disappeared.clear();
        RootedFiles image = new RootedFiles(tree);
        DpkgDatabase database = new DpkgDatabase(ImageFiles.of(tree));
        hostArchitecture = database.entry("dpkg").map(DpkgStatusEntry::architecture).orElse("amd64");
        // dpkg reads its options once, before it starts: scripts that change them act on the next run.
        DpkgConfiguration dpkgOptions = DpkgConfiguration.of(ImageFiles.of(tree));
        DebUnpacker unpacker = new DebUnpacker(image, ImageAccounts.read(image), StatOverrides.read(image),
                database.diversions(), dpkgOptions.pathFilters(), dpkgOptions.conffileOptions());
        TriggerStates triggerStates = new TriggerStates();
        DpkgDatabaseUpdater updater = new DpkgDatabaseUpdater(image, triggerStates);
        statusFlush = () -> {
            long recording = System.nanoTime();
            updater.flushStatus(database);
            times.addSince("apply: database", recording);
        };
        FileOwners owners = new FileOwners(database);
        ObsoleteFiles obsolete = new ObsoleteFiles(owners, image, database.diversions());
        ConffileUpgrade conffiles = new ConffileUpgrade(image, database, owners);
        FileRules rules = new FileRules(owners, obsolete, conffiles, new FileTakeover(database, owners, database.diversions()),
                new Disappearance(database, owners, new Diversions(database.diversions()),
                        new DebArchitectureMatch(hostArchitecture)));
        TriggerActivation triggers = new TriggerActivation(database.triggers(), triggerStates, label -> {
            try {
                return database.entry(label).map(e -> e.status().state().isConfigured()).orElse(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        afterScript = () -> triggers.activatedDuringScripts(image);
        TriggerInterests interests = new TriggerInterests(image, database.triggers());
        List<String> deferred = new ArrayList<>();
        Map<PlannedPackage, PackageWork> work = new LinkedHashMap<>();

        int count = plan.packages().size();
        int step = 0;
        for (PlannedPackage planned : plan.unpackOrder()) {
            progress.phase("unpacking " + planned.label() + " (" + ++step + " of " + count + ")");
            work.put(planned, unpackPhase(tree, planned, plan.deconfiguredBy(planned), files, archives, database,
                    unpacker, updater, interests, triggers, rules, deferred));
            long activating = System.nanoTime();
            if (interests.takeChanged()) {
                triggers.interestsChanged(database.triggers());
            }
            times.addSince("apply: trigger activation", activating);
        }
        step = 0;
        for (PlannedPackage planned : plan.packages()) {
            progress.phase("configuring " + planned.label() + " (" + ++step + " of " + count + ")");
            DebPackage pkg = planned.patch();
            String previous = work.get(planned).configVersion();
            triggers.activatedBy(pkg.triggers(), label(pkg));
            triggers.configuring(label(pkg));
            updater.setStatus(database, pkg, HALF_CONFIGURED, work.get(planned).conffiles(), previous);
            run(tree, pkg.name(), pkg.architecture(), "postinst", info(pkg.infoName(), "postinst"), pkg.script("postinst"),
                    List.of("configure", previous), work.get(planned).scripts(), deferred);
            long recording = System.nanoTime();
            // Installed, or triggers-awaited while a trigger it activated waits to be processed.
            updater.setStatus(database, pkg, DpkgStatus.INSTALLED, work.get(planned).conffiles(), previous);
            times.addSince("apply: database", recording);
            triggers.configured(label(pkg));
        }
        List<ScriptReport> triggerRuns = new ArrayList<>();
        List<String> notes = new ArrayList<>(dpkgOptions.notFollowed());
        notes.addAll(disappeared);
        // Like dpkg, process triggers until none is pending: a triggered script may activate more.
        for (int round = 0; round < MAX_TRIGGER_ROUNDS; round++) {
            Map<String, List<String>> pending = triggers.takePending();
            if (pending.isEmpty()) {
                break;
            }
            for (Map.Entry<String, List<String>> interestedIn : pending.entrySet()) {
                progress.phase("running the triggers of " + interestedIn.getKey());
                // A Multi-Arch: same package is named with its architecture (libgdk-pixbuf-2.0-0:amd64).
                Optional<DpkgStatusEntry> interested = database.entry(interestedIn.getKey());
                if (interested.isPresent() && interested.get().status().state().isConfigured()) {
                    DpkgStatusEntry entry = interested.get();
                    Optional<byte[]> postinst = database.script(entry.infoName(), "postinst");
                    // dpkg's trigproc: half-configured while its postinst runs (its pending triggers
                    // cleared, what awaited them released), installed again after.
                    triggers.running(interestedIn.getKey());
                    updater.setState(database, entry, entry.status().flag(), DpkgStatus.State.HALF_CONFIGURED);
                    run(tree, entry.name(), entry.architecture(), "postinst", info(entry.infoName(), "postinst"), postinst,
                            List.of("triggered", String.join(" ", interestedIn.getValue())), triggerRuns, deferred);
                    updater.restore(database, entry);
                } else if (interested.isEmpty()) {
                    // dpkg passes over it too; but dpkg drops a package's interests when it removes
                    // the package, so the image's trigger files were edited or damaged.
                    notes.add(staleInterest(interestedIn.getKey(), interestedIn.getValue()));
                }
            }
        }
        statusFlush.flush();
        List<PackageReport> packages = new ArrayList<>();
        work.forEach((planned, done) -> packages.add(done.report(planned)));
        List<String> skipped = plan.skipped().stream().map(s -> s.fileName() + ": " + s.reason()).toList();
        return new DebApplyReport(packages, triggerRuns, deferred, skipped, notes);
    }

    /** How dpkg's trigger files name a package: with its architecture when it is Multi-Arch: same. */
    private static String label(DebPackage pkg) {
        return pkg.multiArch().equals("same") ? pkg.name() + ":" + pkg.architecture() : pkg.name();
    }

    /** A trigger interest whose package the status does not know, and what the admin can do about it. */
    private static String staleInterest(String interested, List<String> triggers) {
        // File triggers are all in triggers/File; an explicit trigger has a file of its own name.
        String files = triggers.stream().map(t -> "/var/lib/dpkg/triggers/" + (t.startsWith("/") ? "File" : t))
                .distinct().collect(java.util.stream.Collectors.joining(" and "));
        return files + " name " + interested + " as interested in " + String.join(", ", triggers)
                + ", but the image's status has no such package; like dpkg, the apply ran no postinst for it."
                + " Reinstall the package in the image if it should be there, or remove its line from "
                + files + " (a stale interest)";
    }

    private PackageWork unpackPhase(Path tree, PlannedPackage planned, List<DebDeconfiguration> deconfigured,
                                    Map<String, Path> files, DecompressedArchives archives, DpkgDatabase database,
                                    DebUnpacker unpacker, DpkgDatabaseUpdater updater, TriggerInterests interests,
                                    TriggerActivation triggers, FileRules rules,
                                    List<String> deferred) throws IOException {
        DebPackage pkg = planned.patch();
        Optional<DpkgStatusEntry> old = planned.action() == PlannedPackage.Action.UPGRADE
                ? database.status().stream().filter(e -> e.name().equals(pkg.name())
                        && (e.architecture().equals(pkg.architecture()) || "all".equals(e.architecture())
                        || "all".equals(pkg.architecture()))).findFirst()
                : Optional.empty();
        List<ScriptReport> scripts = new ArrayList<>();
        String newVersion = pkg.version().toString();
        List<DebConffile> oldConffiles = old.isPresent() ? old.get().conffiles() : List.of();
        List<String> oldList = old.isPresent() ? database.fileList(old.get().infoName()) : List.of();
        Optional<byte[]> oldPostrm = old.isPresent() ? database.script(old.get().infoName(), "postrm") : Optional.empty();
        Optional<byte[]> oldTriggers = old.isPresent() ? database.script(old.get().infoName(), "triggers") : Optional.empty();
        DebTriggers oldTriggersFile = oldTriggers.isPresent()
                ? DebTriggers.parse(new String(oldTriggers.get(), StandardCharsets.UTF_8), info(old.get().infoName(), "triggers"))
                : DebTriggers.NONE;
        // dpkg's process_archive: the installed version's activations, then the new one's, before
        // the package drops to half-installed.
        triggers.activatedBy(oldTriggersFile, label(pkg));
        triggers.activatedBy(pkg.triggers(), label(pkg));
        triggers.unpacking(label(pkg));
        // The states dpkg records around each script, which a script sees through dpkg-query.
        if (old.isPresent()) {
            updater.setState(database, old.get(), REINSTALL_REQUIRED, DpkgStatus.State.HALF_CONFIGURED);
            run(tree, pkg.name(), old.get().architecture(), "prerm", info(old.get().infoName(), "prerm"),
                    database.script(old.get().infoName(), "prerm"), List.of("upgrade", newVersion), scripts, deferred);
            updater.setState(database, old.get(), REINSTALL_REQUIRED, DpkgStatus.State.UNPACKED);
        }
        for (DebDeconfiguration other : deconfigured) {
            deconfigure(tree, other, database, updater, triggers, scripts, deferred);
        }
        updater.writeControlArea(pkg);
        // Left behind by a removal (config-files), the package is installed again: dpkg tells its
        // preinst the version it had as well.
        Optional<DpkgStatusEntry> configFiles = old.isPresent() ? Optional.empty() : database.instances(pkg.name()).stream()
                .filter(e -> e.architecture().equals(pkg.architecture()) && e.version() != null
                        && e.status().state() == DpkgStatus.State.CONFIG_FILES).findFirst();
        if (old.isPresent() || configFiles.isPresent()) {
            updater.setState(database, old.or(() -> configFiles).get(), REINSTALL_REQUIRED, DpkgStatus.State.HALF_INSTALLED);
        } else {
            updater.setHalfInstalled(database, pkg);
        }
        String configVersion = old.or(() -> configFiles).map(DpkgDatabaseUpdater::configVersion).orElse("");
        List<String> preinstArgs = old.isPresent() ? List.of("upgrade", old.get().version().toString(), newVersion)
                : configFiles.isPresent() ? List.of("install", configFiles.get().version().toString(), newVersion)
                : List.of("install");
        run(tree, pkg.name(), pkg.architecture(), "preinst", DpkgDatabaseUpdater.CONTROL_AREA + "/preinst",
                pkg.script("preinst"), preinstArgs, scripts, deferred);
        Path file = files.get(pkg.sha256());
        long unpackStart = System.nanoTime();
        long waitedBefore = archives.waitedMillis();
        UnpackResult unpacked;
        List<DebConffile> conffilesBefore = rules.conffiles().recordedBefore(pkg, oldConffiles, oldList);
        FileTakeover.Unpack takeover = rules.takeover().of(pkg, file.getFileName().toString());
        try (InputStream data = archives.open(pkg.sha256())) {
            unpacked = unpacker.unpack(file, data, pkg, conffilesBefore, takeover);
        }
        // The unpack reads the archive as it is decoded; time spent waiting for it is not unpacking.
        long waited = archives.waitedMillis() - waitedBefore;
        times.add("apply: waiting for decompression", waited);
        times.add("apply: unpack", (System.nanoTime() - unpackStart) / 1_000_000 - waited);
        afterUnpack.accept(unpacked.paths());
        long removing = System.nanoTime();
        List<String> removed = new ArrayList<>(rules.conffiles().removeMarked(pkg, conffilesBefore));
        ConffileUpgrade.Recorded recorded = rules.conffiles().afterUnpack(conffilesBefore, unpacked, oldConffiles, oldList);
        // dpkg's new file list keeps the obsolete conffiles, after what the archive shipped.
        List<String> listed = recorded.obsoletePaths().isEmpty() ? unpacked.paths()
                : Stream.concat(unpacked.paths().stream(), recorded.obsoletePaths().stream()).toList();
        // Filtered paths stay listed but count as gone from the archive: dpkg removes what the old
        // version left there, unless it is one of the package's conffiles.
        List<String> keep = unpacked.filtered().isEmpty() ? listed : Stream.of(unpacked.inArchive(),
                recorded.obsoletePaths(), conffilesBefore.stream().map(DebConffile::path).toList()).flatMap(List::stream).toList();
        ObsoleteFiles.Removed obsolete = rules.obsolete().remove(pkg.name(), oldList, keep, unpacked.inArchive(), oldConffiles);
        removed.addAll(obsolete.paths());
        rules.owners().listed(pkg.name(), oldList, listed);
        // dpkg activates file triggers as it unpacks and removes obsolete paths, before the old postrm.
        triggers.activatedByPaths(unpacked.paths(), label(pkg));
        triggers.activatedByPaths(obsolete.activating(), label(pkg));
        times.addSince("apply: obsolete files", removing);
        if (old.isPresent()) {
            run(tree, pkg.name(), old.get().architecture(), "postrm", info(old.get().infoName(), "postrm"), oldPostrm,
                    List.of("upgrade", newVersion), scripts, deferred);
        }
        List<DebConffile> conffiles = recorded.conffiles();
        long recording = System.nanoTime();
        updater.writeInfo(pkg, old.map(DpkgStatusEntry::infoName).orElse(null), listed, unpacked.generatedMd5sums());
        // dpkg's pkg_disappear_others, before the files leave the other packages' lists.
        for (DpkgStatusEntry gone : rules.disappearance().after(pkg, unpacked.inArchive())) {
            disappear(tree, gone, pkg, database, updater, triggers, rules.owners(), scripts, deferred);
        }
        takeover.releaseFromOthers(Stream.concat(unpacked.added().stream(), unpacked.changed().stream()).toList(),
                conffiles, updater);
        interests.replace(old.map(DpkgStatusEntry::infoName).orElse(null), oldTriggersFile, pkg.infoName(), pkg.triggers());
        updater.removeControlArea();
        updater.setStatus(database, pkg, DpkgStatus.parse("install ok unpacked"), conffiles, configVersion);
        times.addSince("apply: database", recording);
        return new PackageWork(unpacked, removed, conffiles, scripts, configVersion);
    }

    /**
     * dpkg's pkg_deconfigure_others for one package: the activations of its triggers file, the drop
     * to half-configured, then its prerm; the set configures it again later.
     */
    private void deconfigure(Path tree, DebDeconfiguration other, DpkgDatabase database, DpkgDatabaseUpdater updater,
                             TriggerActivation triggers, List<ScriptReport> scripts, List<String> deferred) throws IOException {
        Optional<DpkgStatusEntry> entry = database.instances(other.name()).stream()
                .filter(e -> e.architecture().equals(other.architecture())).findFirst();
        if (entry.isEmpty()) {
            return;
        }
        progress.phase("deconfiguring " + other.label() + " before " + other.by().label() + " is unpacked");
        String infoName = entry.get().infoName();
        Optional<byte[]> installedTriggers = database.script(infoName, "triggers");
        if (installedTriggers.isPresent()) {
            triggers.activatedBy(DebTriggers.parse(new String(installedTriggers.get(), StandardCharsets.UTF_8),
                    info(infoName, "triggers")), TriggerStates.labelOf(entry.get().paragraph()));
        }
        triggers.deconfigured(TriggerStates.labelOf(entry.get().paragraph()));
        long recording = System.nanoTime();
        updater.setState(database, entry.get(), entry.get().status().flag(), DpkgStatus.State.HALF_CONFIGURED);
        times.addSince("apply: database", recording);
        run(tree, other.name(), entry.get().architecture(), "prerm", info(infoName, "prerm"), database.script(infoName, "prerm"),
                other.prermArguments(), scripts, deferred);
    }

    /**
     * dpkg's pkg_disappear: the package's triggers activated, its postrm told "disappear" and the
     * package that replaced it, then its info files and status paragraph gone.
     */
    private void disappear(Path tree, DpkgStatusEntry gone, DebPackage pkg, DpkgDatabase database, DpkgDatabaseUpdater updater,
                           TriggerActivation triggers, FileOwners owners, List<ScriptReport> scripts, List<String> deferred)
            throws IOException {
        String label = TriggerStates.labelOf(gone.paragraph());
        progress.phase("noting the disappearance of " + label + ", which " + label(pkg) + " replaced completely");
        String infoName = gone.infoName();
        Optional<byte[]> installedTriggers = database.script(infoName, "triggers");
        if (installedTriggers.isPresent()) {
            triggers.activatedBy(DebTriggers.parse(new String(installedTriggers.get(), StandardCharsets.UTF_8),
                    info(infoName, "triggers")), label);
        }
        run(tree, gone.name(), gone.architecture(), "postrm", info(infoName, "postrm"), database.script(infoName, "postrm"),
                List.of("disappear", label(pkg), pkg.version().toString()), scripts, deferred);
        List<String> files = database.fileList(infoName);
        triggers.deconfigured(label);
        updater.forget(database, gone);
        owners.listed(gone.name(), files, List.of());
        disappeared.add(gone.name() + " " + gone.version() + " disappeared: " + label(pkg) + " " + pkg.version()
                + " replaced all its files, and nothing installed needs it (dpkg: \"Noting disappearance of " + label
                + ", which has been completely replaced\")");
    }

    private void run(Path tree, String packageName, String architecture, String script, String path,
                     Optional<byte[]> bytes, List<String> args, List<ScriptReport> reports, List<String> deferred)
            throws IOException {
        if (bytes.isEmpty()) {
            return;
        }
        String notEmulated = emulate.take(tree, packageName, script, bytes.get(), args, reports, deferred);
        if (notEmulated == null) {
            afterScript.flush();
            return;
        }
        // A script with a part outside the action catalogue is asked about as one unknown command.
        ActionTier tier = policy.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false);
        if (tier == ActionTier.DEFER) {
            String step = path + (args.isEmpty() ? "" : " " + String.join(" ", args.stream().map(ShellWords::singleQuoted).toList()));
            reports.add(new ScriptReport(packageName, script, args, tier.word(), 0, 0, List.of(), List.of(step),
                    "not run: the action policy defers this script to first boot (" + notEmulated + ")"));
            deferred.add(packageName + "\t" + script + " " + String.join(" ", args) + "\t" + step);
            return;
        }
        // Run where dpkg keeps the script: debconf's confmodule looks for the config script beside it.
        byte[] split = ByteCompileSplit.rewrite(bytes.get(), COMPILE_PROCESSES);
        byte[] cached = byteCompileCache ? Py3compileCalls.rewrite(split == null ? bytes.get() : split) : null;
        byte[] rewritten = cached != null ? cached : split != null ? split : bytes.get();
        byte[] manpages = PostgresqlManpageLinks.rewrite(rewritten, tree);
        byte[] run = manpages != null ? manpages : rewritten;
        ScriptInvocation invocation = ScriptInvocation.of(packageName, script, run, args).at(path).withTimeout(scriptTimeout)
                .withArchitecture("all".equals(architecture) ? hostArchitecture : architecture);
        statusFlush.flush();
        long confining = System.nanoTime();
        ConfinedResult result = confine.run(tree, invocation);
        times.add("apply: scripts confined", result.duration().toMillis());
        times.add("apply: sandbox setup", (System.nanoTime() - confining) / 1_000_000 - result.duration().toMillis());
        List<String> steps = result.deferred().stream().map(RecordedCommand::shellLine).toList();
        List<String> notes = new ArrayList<>(List.of(notEmulated));
        if (split != null) {
            notes.add("byte-compilation spread over " + COMPILE_PROCESSES + " processes");
        }
        if (cached != null) {
            notes.add("py3compile given the .pyc files of earlier applies");
        }
        if (manpages != null) {
            notes.add("postgresql-common's manual page alternatives listed without a process per page");
        }
        result.helperCalls().forEach(call -> notes.add("emulated call: " + call));
        ScriptReport report = new ScriptReport(packageName, script, args, ActionTier.CONFINE.word(), result.exitCode(),
                result.duration().toMillis(), notes, steps, result.output());
        if (result.timedOut()) {
            throw ScriptFailedException.timedOut(report, scriptTimeout);
        }
        if (!result.succeeded()) {
            throw new ScriptFailedException(report);
        }
        reports.add(report);
        afterScript.flush();
        String origin = packageName + "\t" + script + " " + String.join(" ", args) + "\t";
        for (RecordedCommand start : result.deferred()) {
            if (DeferredReason.isBootLoader(start.command())) {
                deferred.add(origin + start.shellLine());
                continue;
            }
            String kind = start.args().contains("start") && !start.args().contains("restart")
                    ? ActionPolicy.SERVICE_START : ActionPolicy.SERVICE_RESTART;
            // No sandbox VM runs steps during an apply yet, so a sandbox answer also becomes a first-boot step.
            ActionTier startTier = policy.tierFor(kind, "deb", false);
            deferred.add(origin + start.shellLine() + (startTier == ActionTier.DEFER ? "" : "  # policy said " + startTier.word()));
        }
    }

    private static String info(String infoName, String script) {
        return DpkgDatabaseUpdater.ADMIN + "/info/" + infoName + "." + script;
    }

    /**
     * What the unpack phase did to one package, kept until its configure and report.
     *
     * @param configVersion the version dpkg last configured, which the new postinst configure is told ("" for none)
     */
    private record PackageWork(UnpackResult unpacked, List<String> removed, List<DebConffile> conffiles,
                               List<ScriptReport> scripts, String configVersion) {

        PackageReport report(PlannedPackage planned) {
            DebPackage pkg = planned.patch();
            return new PackageReport(pkg.name(), pkg.architecture(), planned.action().name().toLowerCase(java.util.Locale.ROOT),
                    planned.installedVersion() == null ? null : planned.installedVersion().toString(), pkg.version().toString(),
                    unpacked.added(), unpacked.changed(), removed, unpacked.keptConffiles(), unpacked.filtered(), scripts,
                    unpacked.warnings());
        }
    }
}
