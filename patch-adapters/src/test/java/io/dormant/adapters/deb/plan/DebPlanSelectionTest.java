package io.dormant.adapters.deb.plan;

import static io.dormant.adapters.deb.plan.DebPlanFixture.image;
import static io.dormant.adapters.deb.plan.DebPlanFixture.installed;
import static io.dormant.adapters.deb.plan.DebPlanFixture.patch;
import static io.dormant.adapters.deb.plan.DebPlanFixture.withDpkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.plan.PlannedPackage.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which patches of a set a plan applies, and the reason for each it leaves out. */
class DebPlanSelectionTest {

    private static DebPlan plan(List<DpkgStatusEntry> image, DebPackage... patches)
            throws DebPlanRefusedException {
        return DebPlanner.plan(image, List.of(patches), DebPlanOptions.DEFAULTS);
    }

    @Test
    void upgradesAnOlderInstalledVersion() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "2.10-2")), patch("hello", "2.10-3"));

        assertThat(plan.packages()).singleElement().satisfies(p -> {
            assertThat(p.patch().name()).isEqualTo("hello");
            assertThat(p.action()).isEqualTo(Action.UPGRADE);
            assertThat(p.installedVersion()).isEqualTo(DebianVersion.parse("2.10-2"));
        });
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void skipsTheSameVersionAndAnOlderOne() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.2-3"), installed("bc", "1.3-1")),
                patch("hello", "1.2-3"), patch("bc", "1.2-9"));

        assertThat(plan.packages()).isEmpty();
        assertThat(plan.skipped()).extracting(SkippedPatch::fileName, SkippedPatch::reason).containsExactly(
                tuple("hello_1.2-3_amd64.deb", "already installed at 1.2-3"),
                tuple("bc_1.2-9_amd64.deb", "image has newer 1.3-1"));
    }

    @Test
    void sameVersionIsDpkgsOrderNotTheText() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.0")), patch("hello", "0:1.0-0"));

        assertThat(plan.skipped()).extracting(SkippedPatch::reason).containsExactly("already installed at 1.0");
    }

    @Test
    void skipsWhatTheImageDoesNotHaveUnlessAskedToInstallNew() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(
                installed("hello", "2.10-2", "Status: deinstall ok config-files"));
        DebPackage hello = patch("hello", "2.10-3");

        assertThat(plan(image, hello).skipped()).extracting(SkippedPatch::reason)
                .containsExactly("not installed in the image, and no planned package needs or recommends it");

        DebPlan plan = DebPlanner.plan(image, List.of(hello), DebPlanOptions.DEFAULTS.withInstallNew());
        assertThat(plan.packages()).extracting(PlannedPackage::action, PlannedPackage::installedVersion)
                .containsExactly(tuple(Action.INSTALL, null));
    }

    @Test
    void installsWhatAnUpgradeNeedsAndNothingElse() throws Exception {
        DebPlan plan = plan(withDpkg(installed("app", "1.0")),
                patch("app", "2.0", "Depends: libnew1 (>= 2) | libold"),
                patch("libnew1", "2.1", "Depends: libnew-common"),
                patch("libnew-common", "2.1", "Architecture: all"),
                patch("unrelated", "1.0"));

        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::action).containsExactly(
                tuple("libnew-common", Action.INSTALL),
                tuple("libnew1", Action.INSTALL),
                tuple("app", Action.UPGRADE));
        assertThat(plan.skipped()).extracting(SkippedPatch::fileName).containsExactly("unrelated_1.0_amd64.deb");
    }

    @Test
    void installsWhatANewPackageRecommendsAndWhatAnUpgradeNewlyRecommendsAsAptDoes() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(installed("kernel-meta", "1", "Depends: kernel-1", "Recommends: tools"),
                installed("kernel-1", "1"));
        DebPackage meta = patch("kernel-meta", "2", "Depends: kernel-2", "Recommends: tools, extras");
        DebPackage kernel = patch("kernel-2", "2", "Recommends: firmware | firmware-nonfree");

        DebPlan plan = plan(image, meta, kernel, patch("firmware", "1"), patch("tools", "1"), patch("extras", "1"));

        // tools: the installed kernel-meta recommended it already and the image lacks it, so an admin removed it.
        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::action).containsExactlyInAnyOrder(
                tuple("kernel-meta", Action.UPGRADE), tuple("kernel-2", Action.INSTALL),
                tuple("firmware", Action.INSTALL), tuple("extras", Action.INSTALL));
        assertThat(plan.skipped()).extracting(SkippedPatch::fileName, SkippedPatch::reason).containsExactly(
                tuple("tools_1_amd64.deb", "not installed in the image, and no planned package needs or recommends it"));
        assertThat(plan.notes()).containsExactlyInAnyOrder(
                "kernel-2 2 is installed: kernel-meta 2 depends on kernel-2",
                "extras 1 is installed: kernel-meta 2 recommends extras",
                "firmware 1 is installed: kernel-2 2 recommends firmware | firmware-nonfree");
    }

    @Test
    void aRecommendsWithANewFirstChoiceIsNewToAptEvenWhenItsOtherChoicesWereRecommendedBefore() throws Exception {
        // firefox-esr 153 of bookworm-security: "libavcodec63 | … | libavcodec59", where 140 had
        // "libavcodec62 | … | libavcodec59" and the image none of them; apt installs libavcodec59.
        List<DpkgStatusEntry> image = withDpkg(installed("browser", "140", "Recommends: codec62 | codec59"));
        DebPackage browser = patch("browser", "153", "Recommends: codec63 | codec62 | codec59");

        DebPlan plan = plan(image, browser, patch("codec59", "5"));

        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::action).containsExactlyInAnyOrder(
                tuple("browser", Action.UPGRADE), tuple("codec59", Action.INSTALL));
        assertThat(plan.notes()).containsExactly("codec59 5 is installed: browser 153 recommends codec63 | codec62 | codec59");
    }

    @Test
    void aRecommendsTheImageSatisfiedIsFollowedWhenTheUpgradeChangesIt() throws Exception {
        // The same first choice as before, but the group was satisfied (by mail-b), which the new one
        // no longer accepts: apt follows it rather than leave it unsatisfied; an unsatisfied one it leaves.
        List<DpkgStatusEntry> image = withDpkg(installed("app", "1", "Recommends: mail-a | mail-b, docs"),
                installed("mail-b", "1"));
        DebPackage app = patch("app", "2", "Recommends: mail-a | mail-c, docs");

        DebPlan plan = plan(image, app, patch("mail-a", "1"), patch("docs", "1"));

        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::action).containsExactlyInAnyOrder(
                tuple("app", Action.UPGRADE), tuple("mail-a", Action.INSTALL));
        assertThat(plan.skipped()).extracting(SkippedPatch::fileName).containsExactly("docs_1_amd64.deb");
    }

    @Test
    void installsNoRecommendsWhenTheImageAptDoesNot() throws Exception {
        DebPlan plan = DebPlanner.plan(withDpkg(installed("kernel-meta", "1", "Depends: kernel-1")),
                List.of(patch("kernel-meta", "2", "Depends: kernel-2"), patch("kernel-2", "2", "Recommends: firmware"),
                        patch("firmware", "1")), DebPlanOptions.DEFAULTS.withInstallRecommends(false));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactlyInAnyOrder("kernel-meta", "kernel-2");
        assertThat(plan.skipped()).extracting(SkippedPatch::reason).containsExactly("not installed in the image, and no"
                + " planned package needs it (recommends are not installed: APT::Install-Recommends is off in the image,"
                + " or --no-install-recommends)");
    }

    @Test
    void doesNotInstallWhatTheImageAlreadySatisfies() throws Exception {
        DebPlan plan = plan(withDpkg(installed("app", "1.0"), installed("libold", "1")),
                patch("app", "2.0", "Depends: libnew1 | libold"), patch("libnew1", "2.1"));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("app");
    }

    @Test
    void skipsAnotherArchitecture() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.0")), patch("hello", "2.0", "Architecture: arm64"));

        assertThat(plan.skipped()).extracting(SkippedPatch::reason).containsExactly("built for arm64, but the image is amd64");
    }

    @Test
    void takesTheNativeArchitectureFromDpkgThenFromEssentialPackages() throws Exception {
        List<DpkgStatusEntry> arm = image(
                installed("dpkg", "1.21.22", "Architecture: arm64", "Essential: yes"),
                installed("hello", "1.0", "Architecture: arm64"));
        assertThat(plan(arm, patch("hello", "2.0")).skipped()).extracting(SkippedPatch::reason)
                .containsExactly("built for amd64, but the image is arm64");

        List<DpkgStatusEntry> noDpkg = image(
                installed("base-files", "12.4", "Architecture: arm64", "Essential: yes"),
                installed("bash", "5.2", "Architecture: arm64", "Essential: yes"),
                installed("hello", "1.0", "Architecture: arm64"));
        assertThat(plan(noDpkg, patch("hello", "2.0", "Architecture: arm64")).packages()).hasSize(1);

        assertThatThrownBy(() -> plan(image(installed("hello", "1.0")), patch("hello", "2.0")))
                .isInstanceOf(DebPlanRefusedException.class)
                .hasMessageContaining("cannot tell the image's architecture");
        assertThat(DebPlanner.plan(image(installed("hello", "1.0")), List.of(patch("hello", "2.0")),
                DebPlanOptions.DEFAULTS.withArchitecture("amd64")).packages()).hasSize(1);
    }

    @Test
    void architectureAllUpgradesAllAndTheNativeInstance() throws Exception {
        DebPlan plan = plan(withDpkg(installed("docs", "1.0", "Architecture: all"), installed("tool", "1.0")),
                patch("docs", "1.1", "Architecture: all"), patch("tool", "2.0", "Architecture: all"));

        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::installedVersion).containsExactly(
                tuple("docs", DebianVersion.parse("1.0")),
                tuple("tool", DebianVersion.parse("1.0")));
    }

    @Test
    void multiArchSamePackagesAreUpgradedPerArchitecture() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(
                installed("libz1", "1.2", "Multi-Arch: same"),
                installed("libz1", "1.2", "Architecture: i386", "Multi-Arch: same"));

        DebPlan plan = plan(image, patch("libz1", "1.3", "Architecture: i386", "Multi-Arch: same"),
                patch("libz1", "1.2", "Multi-Arch: same"), patch("libz1", "1.3", "Multi-Arch: same"));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactlyInAnyOrder("libz1:i386", "libz1:amd64");
        assertThat(plan.packages()).allSatisfy(p -> assertThat(p.installedVersion()).isEqualTo(DebianVersion.parse("1.2")));
        assertThat(plan.skipped()).extracting(SkippedPatch::fileName, SkippedPatch::reason).containsExactly(
                tuple("libz1_1.2_amd64.deb", "superseded by 1.3 in the same set"));
    }

    @Test
    void aMultiArchSameInstanceUpgradedWithoutItsOtherArchitectureIsRefusedAsDpkgWouldNotConfigureIt() throws Exception {
        List<DpkgStatusEntry> image = withDpkg(
                installed("libz1", "1.2", "Multi-Arch: same"),
                installed("libz1", "1.2", "Architecture: i386", "Multi-Arch: same"));

        assertThatThrownBy(() -> plan(image, patch("libz1", "1.3", "Architecture: i386", "Multi-Arch: same")))
                .isInstanceOf(DebPlanRefusedException.class)
                .hasMessageContaining("libz1:amd64 1.2").hasMessageContaining("libz1:i386 1.3")
                .hasMessageContaining("add libz1 1.3 for amd64 to the set, or leave libz1:i386 out");
    }

    @Test
    void takesTheNewestOfSeveralVersionsAndReportsTheOthers() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.0")),
                patch("hello", "1.2"), patch("hello", "1:0.9"), patch("hello", "1.1"), patch("hello", "1:0.9"));

        assertThat(plan.packages()).extracting(p -> p.patch().version().toString()).containsExactly("1:0.9");
        assertThat(plan.skipped()).extracting(SkippedPatch::reason).containsExactly(
                "superseded by 1:0.9 in the same set", "superseded by 1:0.9 in the same set",
                "the set holds hello 1:0.9 twice; the first one is planned");
        assertThat(plan.skipped().get(2).fileName()).isEqualTo("hello_0.9_amd64.deb");
    }

    @Test
    void skipsAPackageTheImageHasHalfInstalled() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.0", "Status: install reinstreq half-installed")),
                patch("hello", "2.0"));

        assertThat(plan.skipped()).extracting(SkippedPatch::reason).containsExactly(
                "the image has 1.0 in state 'install reinstreq half-installed'; repair it online first"
                        + " (dpkg --configure -a, or reinstall it)");
    }

    @Test
    void notesAnUpgradeOfAHeldPackage() throws Exception {
        DebPlan plan = plan(withDpkg(installed("hello", "1.0", "Status: hold ok installed")), patch("hello", "2.0"));

        assertThat(plan.packages()).hasSize(1);
        assertThat(plan.notes()).containsExactly(
                "hello is on hold in the image; it is upgraded because the set names it, as dpkg -i would");
    }
}
