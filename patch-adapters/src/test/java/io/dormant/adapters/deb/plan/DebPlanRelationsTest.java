package io.dormant.adapters.deb.plan;

import static io.dormant.adapters.deb.plan.DebPlanFixture.installed;
import static io.dormant.adapters.deb.plan.DebPlanFixture.patch;
import static io.dormant.adapters.deb.plan.DebPlanFixture.withDpkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image a plan leaves must pass dpkg's configure-time checks; every failure is listed. */
class DebPlanRelationsTest {

    private static DebPlan plan(List<DpkgStatusEntry> image, DebPackage... patches) throws DebPlanRefusedException {
        return DebPlanner.plan(image, List.of(patches), DebPlanOptions.DEFAULTS);
    }

    private static List<String> refusal(List<DpkgStatusEntry> image, DebPackage... patches) {
        return catchThrowableOfType(() -> plan(image, patches), DebPlanRefusedException.class).reasons();
    }

    @Test
    void refusesAnExactDependencyOnAVersionTheImageWillNotHave() {
        List<DpkgStatusEntry> image = withDpkg(
                installed("openssh-client", "1:9.2p1-2+deb12u3"), installed("openssh-server", "1:9.2p1-2+deb12u3",
                        "Depends: openssh-client (= 1:9.2p1-2+deb12u3)"));

        assertThat(refusal(image, patch("openssh-server", "1:9.2p1-2+deb12u5", "Depends: openssh-client (= 1:9.2p1-2+deb12u5)")))
                .containsExactly("openssh-server 1:9.2p1-2+deb12u5 depends on openssh-client (= 1:9.2p1-2+deb12u5),"
                        + " but the image would have 1:9.2p1-2+deb12u3");
    }

    @Test
    void listsEveryReasonNotOnlyTheFirst() {
        DebPlanRefusedException e = catchThrowableOfType(() -> plan(withDpkg(installed("a", "1"), installed("b", "1")),
                patch("a", "2", "Depends: missing1", "Pre-Depends: missing2 (>= 3)"),
                patch("b", "2", "Depends: gone")), DebPlanRefusedException.class);

        assertThat(e.reasons()).containsExactly(
                "a 2 pre-depends on missing2 (>= 3), but missing2 is not installed",
                "a 2 depends on missing1, but missing1 is not installed",
                "b 2 depends on gone, but gone is not installed");
        assertThat(e.getMessage()).startsWith("the patch set cannot be applied to this image (3 problems)")
                .contains("\n  - b 2 depends on gone, but gone is not installed");
    }

    @Test
    void acceptsAnyAlternativeAndExplainsEachWhenNoneFits() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"), installed("gpgv2", "2.2"));
        assertThat(plan(image, patch("app", "2", "Depends: gpgv | gpgv2 (>= 2)")).packages()).hasSize(1);

        assertThat(refusal(image, patch("app", "2", "Depends: gpgv | gpgv2 (>= 3)"))).containsExactly(
                "app 2 depends on gpgv | gpgv2 (>= 3), but gpgv is not installed; the image would have gpgv2 2.2");
    }

    @Test
    void versionedProvidesSatisfyVersionedDependenciesAndUnversionedOnlyUnversioned() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"),
                installed("mawk", "1.3.4", "Provides: awk"), installed("libfoo-impl", "5", "Provides: libfoo-api (= 1.0)"));

        assertThat(plan(image, patch("app", "2", "Depends: awk, libfoo-api (>= 1.0), libfoo-api")).packages()).hasSize(1);
        assertThat(refusal(image, patch("app", "2", "Depends: awk (>= 1), libfoo-api (>= 2)"))).containsExactly(
                "app 2 depends on awk (>= 1), but mawk 1.3.4 provides awk without a version",
                "app 2 depends on libfoo-api (>= 2), but libfoo-impl 5 provides libfoo-api (= 1.0)");
    }

    @Test
    void plainDependenciesWantTheSameArchitectureUnlessMultiArchForeign() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"),
                installed("libx", "1", "Architecture: i386"),
                installed("tool", "1", "Architecture: i386", "Multi-Arch: foreign"),
                installed("data", "1", "Architecture: all"));

        assertThat(plan(image, patch("app", "2", "Depends: tool, data")).packages()).hasSize(1);
        assertThat(refusal(image, patch("app", "2", "Depends: libx"))).containsExactly(
                "app 2 depends on libx, but the image has libx only for i386, which does not match app (amd64)");
        assertThat(plan(image, patch("app", "2", "Depends: libx:i386")).packages()).hasSize(1);
    }

    @Test
    void anyQualifierWantsMultiArchAllowed() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"),
                installed("python3", "3.11", "Multi-Arch: allowed"), installed("perl", "5.36"));

        assertThat(plan(image, patch("app", "2", "Depends: python3:any (>= 3.11)")).packages()).hasSize(1);
        assertThat(refusal(image, patch("app", "2", "Depends: perl:any"))).containsExactly(
                "app 2 depends on perl:any, but perl is not Multi-Arch: allowed, so perl:any does not match it");
    }

    @Test
    void packagesNotFullyInstalledSatisfyNothing() {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"),
                installed("liba", "1", "Status: install reinstreq half-installed"),
                installed("libb", "1", "Status: install ok unpacked"),
                installed("libc", "1", "Status: deinstall ok config-files"));

        assertThat(refusal(image, patch("app", "2", "Depends: liba, libb, libc"))).containsExactly(
                "app 2 depends on liba, but liba is half-installed in the image",
                "app 2 depends on libb, but libb is unpacked in the image",
                "app 2 depends on libc, but libc is not installed");
    }

    @Test
    void refusesConflictsInEitherDirection() {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"), installed("old-tool", "1.5"),
                installed("guard", "1", "Conflicts: app (>= 2)"));

        assertThat(refusal(image, patch("app", "2", "Conflicts: old-tool (<< 2)", "Replaces: old-tool"))).containsExactly(
                "app 2 conflicts with old-tool (<< 2), but the image would have old-tool 1.5 (dpkg would remove"
                        + " old-tool because app replaces it; a plan removes no package)",
                "guard 1 conflicts with app (>= 2), but the image would have app 2");
    }

    @Test
    void aPackageDoesNotConflictWithWhatItProvidesItselfButDoesWithOthers() throws Exception {
        String mta = "Provides: mail-transport-agent";
        List<DpkgStatusEntry> alone = withDpkg(installed("exim4", "4.96",
                "Conflicts: mail-transport-agent", "Replaces: mail-transport-agent", mta));
        DebPackage exim = patch("exim4", "4.97", "Conflicts: mail-transport-agent", "Replaces: mail-transport-agent", mta);
        assertThat(plan(alone, exim).packages()).hasSize(1);

        List<DpkgStatusEntry> two = withDpkg(installed("exim4", "4.96", mta), installed("postfix", "3.7", mta));
        assertThat(refusal(two, exim)).containsExactly(
                "exim4 4.97 conflicts with mail-transport-agent, which postfix 3.7 provides");
    }

    @Test
    void refusesBrokenPackagesInEitherDirection() {
        List<DpkgStatusEntry> image = withDpkg(installed("libapt", "2.6.1"), installed("aptitude", "0.8.8"),
                installed("apt-listbugs", "0.1", "Breaks: libapt (>= 2.6.2)"));

        assertThat(refusal(image, patch("libapt", "2.6.2", "Breaks: aptitude (<< 0.8.9)"))).containsExactly(
                "libapt 2.6.2 breaks aptitude (<< 0.8.9), but the image would have aptitude 0.8.8",
                "apt-listbugs 0.1 breaks libapt (>= 2.6.2), but the image would have libapt 2.6.2");
    }

    @Test
    void breaksIgnoresUnpackedPackagesButConflictsDoesNot() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1"), installed("a", "1", "Status: install ok unpacked"));

        assertThat(plan(image, patch("app", "2", "Breaks: a")).packages()).hasSize(1);
        assertThat(refusal(image, patch("app", "2", "Conflicts: a"))).containsExactly(
                "app 2 conflicts with a, but the image would have a 1");
    }

    @Test
    void refusesWhatAnUpgradeTakesFromAnInstalledPackage() {
        List<DpkgStatusEntry> image = withDpkg(installed("libssl3", "3.0.15"),
                installed("openssl", "3.0.15", "Depends: libssl3 (= 3.0.15)"));

        assertThat(refusal(image, patch("libssl3", "3.0.16"))).containsExactly(
                "openssl 3.0.15 depends on libssl3 (= 3.0.15), but the image would have 3.0.16");
    }

    @Test
    void leavesProblemsTheImageAlreadyHasAsNotes() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("hello", "1"), installed("broken", "1", "Depends: gone"));

        DebPlan plan = plan(image, patch("hello", "2"));

        assertThat(plan.packages()).hasSize(1);
        assertThat(plan.notes()).containsExactly("the image already has this problem, and the plan leaves it as it is:"
                + " broken 1 depends on gone, but gone is not installed");
    }

    @Test
    void refusesTwoArchitecturesOfAPackageThatIsNotMultiArchSame() {
        List<DpkgStatusEntry> image = withDpkg(installed("libx", "1", "Architecture: i386"));

        DebPlanRefusedException e = catchThrowableOfType(() -> DebPlanner.plan(image, List.of(patch("libx", "2")),
                DebPlanOptions.DEFAULTS.withInstallNew()), DebPlanRefusedException.class);

        assertThat(e.reasons()).containsExactly("libx:amd64 2 and libx:i386 1 would both be installed, but only"
                + " Multi-Arch: same packages can be installed for several architectures");
    }

    @Test
    void multiArchSameInstancesLiveSideBySide() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("libz1", "1", "Architecture: i386", "Multi-Arch: same"),
                installed("app", "1", "Architecture: i386"));

        DebPlan plan = DebPlanner.plan(image, List.of(patch("libz1", "1", "Multi-Arch: same"),
                patch("app", "2", "Architecture: i386", "Depends: libz1 (>= 1)")), DebPlanOptions.DEFAULTS.withInstallNew());

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("app", "libz1:amd64");
    }
}
