package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What goes wrong in a patch run must leave the image as it was: a failing maintainer script, a
 * hostile package, a set whose dependencies do not hold. Each is one clear error and no new version.
 */
class PatchApplyFailureIT {

    @RegisterExtension
    final DormantHome home = DormantHome.named("patch-failure");
    private Path temp;
    private DormantProcess dormant;

    @BeforeEach
    void importImage() throws Exception {
        temp = home.temp();
        dormant = home.dormant();
        home.importBase();
    }

    @Test
    void aFailingScriptFailsTheApplyWithItsOutputAndMakesNoVersion() throws Exception {
        Path deb = buildDeb("dormant-failing", "1.0", "echo 'cannot configure: disk on fire' >&2\nexit 3\n", false);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", "--install-new", deb.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.output()).contains("dormant-failing postinst configure  failed with exit code 3")
                .contains("cannot configure: disk on fire");
        assertNoNewVersion();
    }

    @Test
    void aScriptThatRunsPastTheTimeoutIsStoppedAndMakesNoVersion() throws Exception {
        Path deb = buildDeb("dormant-hanging", "1.0", "echo 'waiting for a network that never comes'\nsleep 600\n", false);
        Map<String, String> environment = Map.of("DORMANT_HOME", temp.resolve("home").toString(),
                "DORMANT_CHECKOUTS", temp.resolve("checkouts").toString(), "DORMANT_RESIDENT", "0");

        DormantProcess.Outcome stopped = new DormantProcess(with(environment, "DORMANT_SCRIPT_TIMEOUT", "3"),
                temp.resolve("cli.log")).run("patch", "apply", "base", "--install-new", deb.toString());
        DormantProcess.Outcome misconfigured = new DormantProcess(with(environment, "DORMANT_SCRIPT_TIMEOUT", "soon"),
                temp.resolve("cli.log")).run("patch", "apply", "base", "--install-new", deb.toString());

        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.output()).contains("dormant-hanging postinst configure  did not finish within 3 s and was stopped")
                .contains("DORMANT_SCRIPT_TIMEOUT gives scripts longer").contains("waiting for a network that never comes");
        assertThat(misconfigured.exitCode()).isNotZero();
        assertThat(misconfigured.output()).contains("DORMANT_SCRIPT_TIMEOUT='soon' is not a positive number of seconds");
        assertNoNewVersion();
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> out = new java.util.HashMap<>(environment);
        out.put(name, value);
        return out;
    }

    @Test
    void aPolicyThatDefersScriptsQueuesThemForFirstBootInsteadOfRunningThem() throws Exception {
        Path deb = buildDeb("dormant-failing", "1.0", "echo 'cannot configure: disk on fire' >&2\nexit 3\n", false);
        Path policy = temp.resolve("defer-everything.dmn");
        Files.writeString(policy, DEFER_EVERYTHING);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", "--install-new", "--policy", policy.toString(),
                deb.toString());

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("deferred to first boot (1)")
                .contains("/var/lib/dpkg/info/dormant-failing.postinst 'configure' ''")
                .contains("created base@2");
        Path exported = temp.resolve("exported");
        assertThat(dormant.run("image", "export", "base@2", exported.toString()).exitCode()).isZero();
        assertThat(Files.readString(exported.resolve("var/lib/dormant/firstboot/steps/0001-dormant-failing-postinst-configure.sh")))
                .contains("/var/lib/dpkg/info/dormant-failing.postinst 'configure' ''");
        Commands.run("rm", "-rf", "--one-file-system", exported.toString());
        assertThat(dormant.run("audit", "log", "--image", "base").output())
                .contains("patch.applied").contains("dormant-failing").contains(deb.getFileName().toString());
        assertThat(dormant.run("audit", "verify").exitCode()).isZero();
    }

    /** A policy an admin could write: every action goes to first boot. */
    private static final String DEFER_EVERYTHING = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_DeferAll" name="Defer all"
                         namespace="https://dormant.io/dmn/test">
              <decision id="Decision_ActionTier" name="Defer everything">
                <decisionTable id="DecisionTable_DeferAll" hitPolicy="FIRST">
                  <input id="Input_Kind" label="Action kind">
                    <inputExpression id="InputExpression_Kind" typeRef="string"><text>actionKind</text></inputExpression>
                  </input>
                  <output id="Output_Tier" label="Tier" name="tier" typeRef="string" />
                  <rule id="Rule_DeferAll">
                    <inputEntry id="InputEntry_DeferAll"><text></text></inputEntry>
                    <outputEntry id="OutputEntry_DeferAll"><text>"defer"</text></outputEntry>
                  </rule>
                </decisionTable>
              </decision>
            </definitions>
            """;

    @Test
    void aPathTraversalInTheDataArchiveIsRefusedAndNothingIsWritten() throws Exception {
        Path deb = buildDeb("dormant-escape", "1.0", null, true);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", "--install-new", deb.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.output()).contains(deb.getFileName().toString()).contains("..");
        assertThat(Path.of("/tmp/dormant-escaped")).doesNotExist();
        assertNoNewVersion();
    }

    @Test
    void aPackageTheImageDoesNotHaveIsSkippedWithTheReason() throws Exception {
        Path deb = buildDeb("dormant-new", "1.0", null, false);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", deb.toString());

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("not installed in the image").contains("nothing to apply: no new version");
        assertNoNewVersion();
    }

    @Test
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        Path deb = buildDeb("dormant-dry", "1.0", "exit 0\n", false);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "base", "--install-new", "--dry-run", deb.toString());

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("dormant-dry").contains("install").contains("dry run: nothing changed");
        assertNoNewVersion();
        // Planned from the store: a dry run does not pay for a checkout.
        Path checkouts = temp.resolve("checkouts");
        assertThat(!Files.exists(checkouts) || Files.list(checkouts).findAny().isEmpty()).as("no checkout made").isTrue();
    }

    @Test
    void aRecommendedPackageOfTheSetIsInstalledAsAptWouldUnlessAskedNotTo() throws Exception {
        Path app = TestDebs.build(temp, "dormant-app", "1.0", null);
        assertThat(dormant.run("patch", "apply", "base", "--install-new", app.toString()).exitCode()).isZero();
        Path upgrade = TestDebs.build(temp, "dormant-app", "2.0", null, "Recommends: dormant-extra\n");
        Path extra = TestDebs.build(temp, "dormant-extra", "1.0", null);

        DormantProcess.Outcome planned = dormant.run("patch", "apply", "base@2", "--dry-run", upgrade.toString(), extra.toString());
        DormantProcess.Outcome without = dormant.run("patch", "apply", "base@2", "--dry-run", "--no-install-recommends",
                upgrade.toString(), extra.toString());

        assertThat(planned.exitCode()).as(planned.output()).isZero();
        assertThat(planned.output()).containsPattern("dormant-extra +all +install")
                .contains("dormant-extra 1.0 is installed: dormant-app 2.0 recommends dormant-extra");
        assertThat(without.exitCode()).as(without.output()).isZero();
        assertThat(without.output()).doesNotContainPattern("dormant-extra +all +install")
                .contains("dormant-extra_1.0_all.deb: not installed in the image, and no planned package needs it"
                        + " (recommends are not installed");
    }

    private void assertNoNewVersion() throws Exception {
        assertThat(dormant.run("image", "versions", "base").output()).contains("base@1").doesNotContain("base@2");
        assertThat(dormant.run("store", "fsck").exitCode()).isZero();
    }

    /** A small real .deb built with dpkg-deb; {@code escape} adds a data entry named ../../tmp/dormant-escaped. */
    private Path buildDeb(String name, String version, String postinst, boolean escape) throws Exception {
        Path deb = TestDebs.build(temp, name, version, postinst);
        if (escape) {
            rewriteWithTraversal(deb);
        }
        return deb;
    }

    /** dpkg-deb will not build a hostile package, so the data member is replaced by one tar builds. */
    private void rewriteWithTraversal(Path deb) throws Exception {
        Path work = temp.resolve("hostile");
        Files.createDirectories(work);
        Commands.run("sh", "-c", "cd " + work + " && ar x " + deb + " && rm -f data.tar.* && "
                + "python3 -c \"import tarfile,io; t=tarfile.open('data.tar.gz','w:gz'); "
                + "i=tarfile.TarInfo('./usr/'); i.type=tarfile.DIRTYPE; t.addfile(i); "
                + "d=b'escaped'; j=tarfile.TarInfo('../../tmp/dormant-escaped'); j.size=len(d); t.addfile(j, io.BytesIO(d)); t.close()\" && "
                + "rm -f " + deb + " && ar rc " + deb + " debian-binary control.tar.* data.tar.gz");
    }
}
