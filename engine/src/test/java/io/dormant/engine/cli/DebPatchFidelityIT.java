package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deb adapter against its oracle, on real data (bin/test builds it: a Debian image with service
 * packages, its real pending updates from bookworm-security/-updates, and the same updates installed
 * by dpkg -i in a chroot of a copy). Dormant applies them offline through the command line; the
 * exported tree must equal the oracle's but for the differences docs/fidelity.md explains.
 */
class DebPatchFidelityIT {

    /** Expected differences, each explained in docs/fidelity.md. */
    private static final List<Pattern> EXPECTED = Stream.of(
            "var/lib/dormant(/.*)?",                                   // Dormant's first-boot queue
            "usr/lib/dormant(/.*)?",
            "etc/systemd/system/dormant-firstboot\\.service",
            "etc/systemd/system/multi-user\\.target\\.wants/dormant-firstboot\\.service",
            "etc/init\\.d/dormant-firstboot", "etc/rc[2-5]\\.d/S99dormant-firstboot",
            "var/log/dpkg\\.log",                                      // dpkg's own log
            "var/log/alternatives\\.log",                              // update-alternatives' log of its runs
            "var/lib/dpkg/status-old",                                  // dpkg's backup of intermediate states
            "var/cache/debconf/[a-z]+\\.dat-old",                       // debconf's backups
            "var/cache/ldconfig/aux-cache",                             // ldconfig's cache of file stamps
            "boot/initrd\\.img-.*",                                     // built at apply time: compared unpacked
            "etc/mtab", "var/(cache|lib|log)/private",                 // systemd-tmpfiles' in a live-system branch
            "var/lib/systemd/(pstore|coredump)"
    ).map(Pattern::compile).toList();
    private static final Pattern INITRAMFS = Pattern.compile("boot/initrd\\.img-[^/]+");
    /**
     * Bytecode of python 3.10 and older: marshal writes a frozenset's items in hash order, which
     * each process randomizes, so no two runs (dpkg's own included) write the same bytes. Compared
     * as code objects instead, by the image's own interpreter.
     */
    private static final Pattern OLD_PYC = Pattern.compile(".*/__pycache__/[^/]+\\.cpython-3(?:[0-9]|10)(?:\\.opt-[12])?\\.pyc");

    /**
     * git's system configuration: git-lfs's postinst writes its four filter keys in Go's map order,
     * which differs on every run (dpkg's own included). Compared as a set of keys per section.
     */
    private static final String GIT_CONFIG = "etc/gitconfig";

    /**
     * insserv's boot order on an image that boots sysvinit: the first-boot runner joins it, last.
     * Compared without the runner's target and line.
     */
    private static final String DEPEND_START = "etc/init.d/.depend.start";

    // Not @TempDir: the trees hold root-owned files and absolute symlinks, which JUnit's cleanup
    // walks noisily; DormantHome removes them with rm -rf --one-file-system, as an admin would.
    @RegisterExtension
    final DormantHome home = DormantHome.named("fidelity");
    private Path temp;

    private DormantProcess dormant;
    private Path image;
    private Path updates;
    private Path oracle;

    /**
     * The fixture's image (suffix "") and images that were never tuned against (suffixes "_2" to
     * "_6": other services, a kernel, another Debian release, their own updates; "_7": the first
     * slimmed with dpkg path filters; "_8": the first with conffiles an admin edited, deleted, moved
     * behind a link or made 0600; "_9": one that boots sysvinit); bin/test builds all nine. Each is
     * skipped when absent.
     */
    private void useFixture(String suffix) throws Exception {
        image = fixture("DORMANT_TEST_SERVICE_IMAGE" + suffix);
        updates = fixture("DORMANT_TEST_UPDATES" + suffix);
        oracle = fixture("DORMANT_TEST_ORACLE" + suffix);
        temp = home.temp();
        dormant = home.dormant();
    }

    /**
     * @param campaign also apply the set twice more in one resident process, as a campaign's next
     *                 images; the kernel image leaves it out, as its time goes to two initramfs builds per
     *                 apply, and the slimmed and the admin's ones, as the first image's run already covers it
     */
    @ParameterizedTest(name = "image{0}")
    @CsvSource({"'', true", "_2, true", "_3, true", "_4, true", "_5, false", "_6, true", "_7, false", "_8, false", "_9, false"})
    void offlineApplyMatchesDpkgAndDefersEveryServiceStart(String suffix, boolean campaign) throws Exception {
        useFixture(suffix);
        assertThat(dormant.run("image", "import", "service", image.toString()).exitCode()).isZero();
        String[] debs = debs();
        String[] apply = Stream.concat(Stream.of("patch", "apply", "service", "--report", temp.resolve("report.json").toString()),
                Arrays.stream(debs)).toArray(String[]::new);

        DormantProcess.Outcome applied = dormant.run(apply);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("created service@2 (from service@1)");
        Path exported = exportedLikeTheOracle("service@2");
        assertThat(Commands.run("dpkg", "--root=" + exported, "--audit")).isEmpty();
        assertThat(Commands.run("dpkg", "--root=" + exported, "-V")).isEqualTo(Commands.run("dpkg", "--root=" + oracle, "-V"));
        assertEveryServiceStartDeferred(applied.output());
        assertDeconfiguredAsDpkgDid(applied.output());
        assertThat(dormant.run("image", "diff", "service@1", "service@2").output()).contains("/var/lib/dpkg/status");
        String patches = dormant.run("image", "patches", "service@2").output();
        for (String deb : debs) {
            assertThat(patches).contains(Path.of(deb).getFileName().toString());
        }
        assertThat(dormant.run("image", "patches", "service@1").output()).contains("was not made by applying patches (import)");
        if (!campaign) {
            return;
        }

        // The next images of a campaign: the same set applied again, now with what the first apply
        // kept (decompressed data, python byte-compilation), must give the same tree.
        // Both run by one resident process (as `./dormant` does by default): a JVM that applied a
        // set before must apply the next one exactly as a fresh one.
        DormantProcess resident = home.dormantWith("DORMANT_RESIDENT", "1");
        String[] again = Stream.concat(Stream.of("patch", "apply", "service@1"), Arrays.stream(debs)).toArray(String[]::new);
        for (int version = 3; version <= 4; version++) {
            DormantProcess.Outcome next = resident.run(again);
            assertThat(next.exitCode()).as(next.output()).isZero();
            assertThat(next.output()).contains("created service@" + version + " (from service@1)");
            exportedLikeTheOracle("service@" + version);
        }
        assertThat(Files.readString(home.home().resolve("run/resident.log"))).containsOnlyOnce("serving");
    }

    /** Exports the version and checks it against the oracle: the same status file, no unexpected difference. */
    private Path exportedLikeTheOracle(String version) throws Exception {
        Path exported = temp.resolve("exported-" + version.replace('@', '-'));
        assertThat(dormant.run("image", "export", version, exported.toString()).exitCode()).isZero();
        String status = Files.readString(exported.resolve("var/lib/dpkg/status"));
        String expectedStatus = Files.readString(oracle.resolve("var/lib/dpkg/status"));
        assertThat(paragraphsOnlyIn(status, expectedStatus)).as("status paragraphs only in Dormant's %s, not in the oracle's", version).isEmpty();
        assertThat(paragraphsOnlyIn(expectedStatus, status)).as("status paragraphs only in the oracle's, not in Dormant's %s", version).isEmpty();
        assertThat(status.equals(expectedStatus)).as("the status files have the same paragraphs in another order").isTrue();
        List<String> differences = differences(exported);
        assertThat(differences.stream().filter(path -> EXPECTED.stream().noneMatch(p -> p.matcher(path).matches()))
                .filter(path -> !OLD_PYC.matcher(path).matches()).filter(path -> !path.equals(GIT_CONFIG))
                .filter(path -> !path.equals(DEPEND_START))).isEmpty();
        if (differences.contains(DEPEND_START)) {
            String order = Files.readString(exported.resolve(DEPEND_START));
            assertThat(order).as("the runner's init script is in the boot order")
                    .containsPattern("(?m)^TARGETS = .* dormant-firstboot$").containsPattern("(?m)^dormant-firstboot: .+$");
            assertThat(order.replaceAll("(?m) dormant-firstboot$", "").replaceAll("(?m)^dormant-firstboot: .*\n", ""))
                    .as("%s but for the runner", DEPEND_START).isEqualTo(Files.readString(oracle.resolve(DEPEND_START)));
        }
        if (differences.contains(GIT_CONFIG)) {
            assertThat(configEntries(exported.resolve(GIT_CONFIG))).as("%s by its entries", GIT_CONFIG)
                    .isEqualTo(configEntries(oracle.resolve(GIT_CONFIG)));
        }
        assertSameInitramfsContents(differences.stream().filter(path -> INITRAMFS.matcher(path).matches()).toList(), exported);
        assertSameCode(differences.stream().filter(path -> OLD_PYC.matcher(path).matches()).toList(), exported);
        return exported;
    }

    /** A git configuration file's lines, each with its section, sorted: the same entries in any order. */
    private static List<String> configEntries(Path file) throws Exception {
        List<String> entries = new ArrayList<>();
        String section = "";
        for (String line : Files.readAllLines(file)) {
            String entry = line.strip();
            if (entry.startsWith("[")) {
                section = entry;
            } else if (!entry.isEmpty()) {
                entries.add(section + " " + entry);
            }
        }
        entries.sort(null);
        return entries;
    }

    /** The paragraphs of the dpkg status file {@code status} that {@code other} does not have, whole. */
    private static List<String> paragraphsOnlyIn(String status, String other) {
        Set<String> others = new HashSet<>(Arrays.asList(other.split("\n\n")));
        return Arrays.stream(status.split("\n\n")).filter(paragraph -> !others.contains(paragraph)).toList();
    }

    /**
     * An initramfs built by a script differs in its bytes on every run (the compressor's header, the
     * archive's times), so each that differs is unpacked, by each tree's own unmkinitramfs, and the
     * two unpacked trees must have the same files, modes, owners and contents.
     */
    private void assertSameInitramfsContents(List<String> rebuilt, Path exported) throws Exception {
        for (String initramfs : rebuilt) {
            Path fromOracle = unpackInitramfs(oracle, initramfs, "oracle");
            Path fromDormant = unpackInitramfs(exported, initramfs, "dormant");
            assertThat(Commands.run("rsync", "-rlpgoDHAXnc", "--itemize-changes", "--delete",
                    fromOracle + "/", fromDormant + "/")).as("%s unpacked, oracle against Dormant", initramfs).isEmpty();
        }
    }

    private void assertSameCode(List<String> compiled, Path exported) throws Exception {
        if (compiled.isEmpty()) {
            return;
        }
        String python = "/usr/bin/python3." + compiled.get(0).replaceAll(".*\\.cpython-3([0-9]+).*", "$1");
        List<String> command = new ArrayList<>(List.of("bwrap", "--ro-bind", exported.toString(), "/", "--dev", "/dev",
                "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/run", "--ro-bind", oracle.toString(), "/run/oracle",
                "--unshare-all", "--die-with-parent", python, "-c", SAME_CODE));
        command.addAll(compiled);
        assertThat(Commands.run(command.toArray(String[]::new))).as("bytecode that is not the same code as the oracle's").isEmpty();
    }

    /** Prints each .pyc whose header or code object differs from the oracle's. */
    private static final String SAME_CODE = """
            import marshal, sys
            for path in sys.argv[1:]:
                ours = open('/' + path, 'rb').read()
                theirs = open('/run/oracle/' + path, 'rb').read()
                if ours[:16] != theirs[:16] or marshal.loads(ours[16:]) != marshal.loads(theirs[16:]):
                    print(path)
            """;

    private Path unpackInitramfs(Path tree, String initramfs, String side) throws Exception {
        Path out = Files.createDirectories(temp.resolve("initramfs-" + side));
        Commands.run("rm", "-rf", "--one-file-system", out.resolve("unpacked").toString());
        Commands.run("bwrap", "--ro-bind", tree.toString(), "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/run",
                "--bind", out.toString(), "/run/out", "--unshare-all", "--die-with-parent",
                "unmkinitramfs", "/" + initramfs, "/run/out/unpacked");
        return out.resolve("unpacked");
    }

    /** Paths that differ in content, type, mode, owner, links, xattrs; not times (the runs happen at different times). */
    private List<String> differences(Path exported) throws Exception {
        String itemized = Commands.run("rsync", "-rlpgoDHAXnc", "--itemize-changes", "--delete",
                oracle + "/", exported + "/");
        return itemized.lines()
                .map(line -> line.substring(line.indexOf(' ') + 1).strip().replaceAll(" -> .*", "").replaceAll("/$", ""))
                .toList();
    }

    /** The packages dpkg deconfigured on the way (its "De-configuring" lines) are those the plan names. */
    private void assertDeconfiguredAsDpkgDid(String output) throws Exception {
        Path log = oracle.resolveSibling(oracle.getFileName() + ".dpkg.log");
        List<String> dpkg = Files.readAllLines(log).stream().filter(l -> l.startsWith("De-configuring "))
                .map(l -> l.replaceAll(" \\.\\.\\.$", "")).sorted().toList();
        List<String> planned = output.lines().map(String::strip).filter(l -> l.startsWith("De-configuring ")).sorted().toList();
        assertThat(planned).as("deconfigured, as dpkg's log %s says", log).isEqualTo(dpkg);
    }

    /**
     * Every service the oracle's scripts would have started or restarted, and every call of GRUB's
     * tools (which need the machine's disks), is in Dormant's deferred steps.
     */
    private void assertEveryServiceStartDeferred(String output) throws Exception {
        Path actions = oracle.resolveSibling(oracle.getFileName() + ".actions.log");
        // A set that starts no service (libraries only) has no such section, and the oracle no starts.
        int section = output.indexOf("deferred to first boot");
        String deferred = section < 0 ? "" : output.substring(section);
        for (String line : Files.readAllLines(actions)) {
            String[] fields = line.split("\t");
            if (line.startsWith("#") || fields.length < 5) {
                continue;
            }
            String command = fields[4];
            if (command.matches(".*\\b(start|restart|reload|try-restart|force-reload)\\b.*")
                    && command.matches("^(invoke-rc\\.d|service|deb-systemd-invoke|systemctl|start-stop-daemon)\\b.*")) {
                String service = serviceOf(command);
                assertThat(deferred).as("oracle: %s ran '%s'", fields[0], command)
                        .containsPattern("(?m)^\\s+" + Pattern.quote(fields[0]) + "\\s.*\\b" + Pattern.quote(service) + "\\b");
            }
            if (command.matches("^(update-grub2?|grub-mkconfig|grub-install)\\b.*")) {
                // update-grub2 is a link to update-grub: either name is the same step
                assertThat(deferred).as("oracle: %s ran '%s'", fields[0], command)
                        .containsPattern("(?m)^\\s+" + Pattern.quote(fields[0]) + "\\s.*\\b"
                                + Pattern.quote(command.split("\\s+")[0].replace("update-grub2", "update-grub")) + "\\b");
            }
        }
    }

    private static String serviceOf(String command) {
        return Arrays.stream(command.split("\\s+")).skip(1)
                .filter(word -> !word.startsWith("-"))
                .filter(word -> !List.of("start", "restart", "reload", "try-restart", "force-reload").contains(word))
                .map(word -> word.replaceAll("\\.service$", "").toLowerCase(Locale.ROOT))
                .findFirst().orElseThrow();
    }

    private String[] debs() throws Exception {
        try (Stream<Path> files = Files.list(updates)) {
            return files.filter(f -> f.toString().endsWith(".deb")).map(Path::toString).sorted().toArray(String[]::new);
        }
    }

    private static Path fixture(String variable) {
        String value = System.getenv(variable);
        Assumptions.assumeTrue(value != null && Files.isDirectory(Path.of(value)),
                variable + " is not set: bin/test builds the deb fixture with bench/fixtures/");
        return Path.of(value);
    }
}
