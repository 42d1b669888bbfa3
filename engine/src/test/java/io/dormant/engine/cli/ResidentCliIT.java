package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code patch apply} handed to a resident process: it behaves as the command run in place (paths
 * relative to the caller, output and exit code, failures), one process serves a series of
 * applies, it ends when idle, and it ends at once when its caller goes away mid-command.
 */
class ResidentCliIT {

    private static final Pattern SERVING = Pattern.compile("serving \\S+ \\(pid (\\d+)\\)");

    @RegisterExtension
    final DormantHome dormantHome = DormantHome.named("resident").with("DORMANT_RESIDENT", "1").with("DORMANT_RESIDENT_IDLE", "4");
    private Path temp;
    private Path home;
    private DormantProcess dormant;

    @BeforeEach
    void importImage() throws Exception {
        temp = dormantHome.temp();
        home = dormantHome.home();
        dormant = dormantHome.dormant();
        dormantHome.importBase();
    }

    @Test
    void oneResidentProcessTakesASeriesOfAppliesAsIfEachRanInPlace() throws Exception {
        TestDebs.build(temp, "dormant-resident", "1.0", "echo configured 1.0\n");
        TestDebs.build(temp, "dormant-resident", "1.1", "echo configured 1.1\n");

        // Relative paths are the caller's: the resident process runs elsewhere.
        DormantProcess.Outcome installed = dormant.runIn(temp, "patch", "apply", "base", "--install-new",
                "--report", "first.json", "dormant-resident_1.0_all.deb");
        DormantProcess.Outcome upgraded = dormant.runIn(temp, "patch", "apply", "base", "dormant-resident_1.1_all.deb");

        assertThat(installed.exitCode()).as(installed.output()).isZero();
        assertThat(installed.output()).contains("created base@2 (from base@1)");
        assertThat(temp.resolve("first.json")).content().contains("\"dormant-resident\"");
        assertThat(upgraded.exitCode()).as(upgraded.output()).isZero();
        assertThat(upgraded.output()).contains("upgrade").contains("created base@3 (from base@2)");
        assertThat(servingPids()).as("one resident process served both").hasSize(1);
        Path exported = temp.resolve("exported");
        assertThat(dormant.run("image", "export", "base@3", exported.toString()).exitCode()).isZero();
        assertThat(exported.resolve("usr/share/doc/dormant-resident/README")).hasContent("test package 1.1");
        assertThat(Commands.run("dpkg", "--root=" + exported, "--audit")).isEmpty();
        assertThat(Commands.run("dpkg-query", "--root=" + exported, "-W", "dormant-resident")).contains("1.1");
    }

    @Test
    void aFailureInTheResidentProcessIsTheCallersFailure() throws Exception {
        Path deb = TestDebs.build(temp, "dormant-failing", "1.0", "echo 'cannot configure: disk on fire' >&2\nexit 3\n");

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", "--install-new", deb.toString());
        DormantProcess.Outcome missing = dormant.run("patch", "apply", "base", temp.resolve("no-such.deb").toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.output()).contains("dormant-failing postinst configure  failed with exit code 3")
                .contains("cannot configure: disk on fire");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("no such file or directory: ").contains("no-such.deb");
        assertThat(servingPids()).hasSize(1);
        assertThat(dormant.run("image", "versions", "base").output()).contains("base@1").doesNotContain("base@2");
    }

    @Test
    void theLoginMadeWhileTheProcessStartsIsNotKeptPastACommandThatDidNotUseIt() throws Exception {
        Path deb = TestDebs.build(temp, "dormant-relogin", "1.0", null);
        // Refused before it opens the library: the login the process made at its start goes unused.
        DormantProcess.Outcome refused = dormant.run("patch", "apply", "base", "--no-such-option", deb.toString());
        assertThat(dormant.run("db", "stop").exitCode()).isZero();

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "base", "--install-new", deb.toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("--no-such-option");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("created base@2 (from base@1)");
        assertThat(servingPids()).as("the same resident process took both").hasSize(1);
    }

    @Test
    void anIdleResidentProcessEndsAndRemovesItsSocket() throws Exception {
        Path deb = TestDebs.build(temp, "dormant-idle", "1.0", null);
        assertThat(dormant.run("patch", "apply", "base", "--install-new", "--dry-run", deb.toString()).exitCode()).isZero();
        long pid = servingPids().get(0);

        assertThat(ended(pid, 20_000)).as("ended after DORMANT_RESIDENT_IDLE=4 s").isTrue();
        try (var files = Files.list(home.resolve("run"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".sock"));
        }
    }

    @Test
    void residentStopEndsTheResidentProcessAtOnce() throws Exception {
        // Long enough an idle time that only the stop can end it.
        dormant = new DormantProcess(Map.of("DORMANT_HOME", home.toString(), "DORMANT_CHECKOUTS", temp.resolve("checkouts").toString(),
                "DORMANT_SCRATCH", temp.resolve("scratch").toString(), "DORMANT_RESIDENT", "1", "DORMANT_RESIDENT_IDLE", "300"),
                temp.resolve("cli.log"));
        assertThat(dormant.run("resident", "status").output()).contains("no resident process runs for " + home);
        Path deb = TestDebs.build(temp, "dormant-stopped", "1.0", null);
        assertThat(dormant.run("patch", "apply", "base", "--install-new", "--dry-run", deb.toString()).exitCode()).isZero();
        long pid = servingPids().get(0);

        DormantProcess.Outcome status = dormant.run("resident", "status");
        DormantProcess.Outcome stop = dormant.run("resident", "stop");

        assertThat(status.output()).containsPattern("resident process [0-9a-f]{16} runs \\(socket " + home.resolve("run"));
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.output()).containsPattern("stopped resident process [0-9a-f]{16}");
        assertThat(ended(pid, 10_000)).as("the process ended").isTrue();
        assertThat(dormant.run("resident", "stop").output()).contains("no resident process runs");
    }

    @Test
    void aCallerThatGoesAwayEndsItsCommandAndNothingIsCheckedIn() throws Exception {
        Path deb = TestDebs.build(temp, "dormant-slow", "1.0", "sleep 60\n");
        dormant.start("patch", "apply", "base", "--install-new", deb.toString());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(home.resolve("run/resident.log")) || servingPids().isEmpty()) {
            assertThat(System.currentTimeMillis()).as("a resident process started").isLessThan(deadline);
            Thread.sleep(200);
        }
        long pid = servingPids().get(0);
        // Killed while the package's postinst sleeps: its overlay is mounted by then. (Not any
        // mount under the scratch: the first apply of a scratch probes the kernel's overlay with
        // a mount of its own there, for a moment, before the checkout.)
        deadline = System.currentTimeMillis() + 120_000;
        while (mountsUnder(temp.resolve("scratch")).stream().noneMatch(ResidentCliIT::applyOverlay)) {
            assertThat(System.currentTimeMillis()).as("the apply mounted its overlay").isLessThan(deadline);
            Thread.sleep(200);
        }
        Thread.sleep(2_000);

        dormant.kill();

        assertThat(ended(pid, 20_000)).as("the resident process halted with its caller").isTrue();
        assertThat(Files.readString(home.resolve("run/resident.log"))).contains("the caller went away during a command");
        assertThat(dormant.run("image", "versions", "base").output()).contains("base@1").doesNotContain("base@2");

        // The halted apply left its overlay mounted on its scratch; the next apply takes both away.
        assertThat(mountsUnder(temp.resolve("scratch"))).anyMatch(ResidentCliIT::applyOverlay);
        Path next = TestDebs.build(temp, "dormant-after", "1.0", null);
        DormantProcess.Outcome after = dormant.run("patch", "apply", "base", "--install-new", next.toString());
        assertThat(after.exitCode()).as(after.output()).isZero();
        assertThat(after.output()).contains("warning: removed the scratch directory " + temp.resolve("scratch"))
                .contains("of an interrupted apply (process " + pid + ", no longer running)");
        assertThat(mountsUnder(temp.resolve("scratch"))).isEmpty();
        // The resident process removes an apply's own scratch just after answering: give it a moment.
        deadline = System.currentTimeMillis() + 20_000;
        while (!applyScratchGone()) {
            assertThat(System.currentTimeMillis()).as("no scratch of an apply is left").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void theLaunchersClientHandsAnApplyOverWithoutStartingAJvm() throws Exception {
        Path launcher = Path.of("..").toAbsolutePath().normalize().resolve("dormant");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/dormant.jar")), "no packaged jar");
        TestDebs.build(temp, "dormant-handed", "1.0", "echo configured 1.0\n");
        TestDebs.build(temp, "dormant-handed", "1.1", "echo configured 1.1\n");
        Path failing = TestDebs.build(temp, "dormant-refused", "1.0", "echo 'cannot configure: no quorum' >&2\nexit 4\n");

        // The first apply finds no resident process: the launcher starts one, and its Perl client
        // waits for it and hands the command over. The next ones find its socket. Relative paths
        // are the caller's; output and exit code are relayed.
        // Its caller holds one more descriptor (a pipe a script would read to its end, say): the
        // resident process, which outlives the command, must not keep it open.
        Path held = temp.resolve("held-by-the-caller");
        String first = launch(List.of("bash", "-c", "exec 7>>\"$0\"; exec \"$@\"", held.toString(), launcher.toString()), 0,
                "patch", "apply", "base", "--install-new", "dormant-handed_1.0_all.deb");
        String second = launch(launcher, 0, "patch", "apply", "base", "--report", "second.json", "dormant-handed_1.1_all.deb");
        String refused = launch(launcher, 1, "patch", "apply", "base", "--install-new", failing.toString());
        // An argument that is not plain ASCII is the JVM's to decode: the client runs it there.
        String planned = launch(launcher, 0, "patch", "apply", "base@2", "--dry-run", "--report", "plan-\u00e9t\u00e9.json", "dormant-handed_1.1_all.deb");

        assertThat(first).contains("created base@2 (from base@1)");
        assertThat(second).contains("upgrade").contains("created base@3 (from base@2)");
        assertThat(temp.resolve("second.json")).content().contains("\"dormant-handed\"");
        assertThat(refused).contains("dormant-refused postinst configure  failed with exit code 4").contains("cannot configure: no quorum");
        String log = Files.readString(home.resolve("run/resident.log"));
        assertThat(planned).containsPattern("dormant-handed +all +upgrade");
        assertThat(log.split("command from the launcher client: patch apply", -1)).as(log).hasSize(4);
        assertThat(log.split("command from the jvm client: patch apply", -1)).as(log).hasSize(2);
        assertThat(servingPids()).as("one resident process served all four").hasSize(1);
        try (var descriptors = Files.list(Path.of("/proc", servingPids().get(0).toString(), "fd"))) {
            assertThat(descriptors.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException gone) {
                    return "";
                }
            })).doesNotContain(held.toString());
        }
        assertThat(dormant.run("image", "versions", "base").output()).contains("base@3").doesNotContain("base@4");
        assertThat(dormant.run("resident", "stop").exitCode()).isZero();
    }

    /** The launcher (./dormant) run from the test's directory on the packaged build, as an admin runs it. */
    private String launch(Path launcher, int expectedExit, String... arguments) throws Exception {
        return launch(List.of(launcher.toString()), expectedExit, arguments);
    }

    private String launch(List<String> launcher, int expectedExit, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("DORMANT_"));
        builder.environment().putAll(Map.of("DORMANT_NO_BUILD", "1", "DORMANT_HOME", home.toString(),
                "DORMANT_CHECKOUTS", temp.resolve("checkouts").toString(), "DORMANT_SCRATCH", temp.resolve("scratch").toString(),
                "DORMANT_RESIDENT", "1", "DORMANT_RESIDENT_IDLE", "60"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("finished: %s", command).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    private boolean applyScratchGone() throws Exception {
        try (var left = Files.list(temp.resolve("scratch"))) {
            return left.map(f -> f.getFileName().toString()).noneMatch(name -> name.startsWith("apply-"));
        }
    }

    /** An apply's overlay, mounted on {@code merged} in its scratch directory. */
    private static boolean applyOverlay(String mountPoint) {
        return mountPoint.matches(".*/apply-[^/]+/merged");
    }

    private static List<String> mountsUnder(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(line -> line.split(" ")[1])
                .filter(mountPoint -> mountPoint.startsWith(dir + "/")).toList();
    }

    private List<Long> servingPids() throws Exception {
        Matcher matcher = SERVING.matcher(Files.readString(home.resolve("run/resident.log")));
        return matcher.results().map(m -> Long.parseLong(m.group(1))).toList();
    }

    private static boolean ended(long pid, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
