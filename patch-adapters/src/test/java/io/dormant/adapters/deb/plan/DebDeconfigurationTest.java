package io.dormant.adapters.deb.plan;

import static io.dormant.adapters.deb.plan.DebPlanFixture.installed;
import static io.dormant.adapters.deb.plan.DebPlanFixture.patch;
import static io.dormant.adapters.deb.plan.DebPlanFixture.withDpkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which installed packages dpkg deconfigures on the way, as in the oracle's log of a real mariadb update. */
class DebDeconfigurationTest {

    private static final List<DpkgStatusEntry> MARIADB = withDpkg(
            installed("mariadb-client", "1:10.11.18-0+deb12u1", "Depends: mariadb-client-core (>= 1:10.11.18-0+deb12u1)"),
            installed("mariadb-client-core", "1:10.11.18-0+deb12u1"),
            installed("mariadb-server", "1:10.11.18-0+deb12u1", "Depends: mariadb-client (>= 1:10.11.18-0+deb12u1),"
                    + " mariadb-server-core (>= 1:10.11.18-0+deb12u1)"),
            installed("mariadb-server-core", "1:10.11.18-0+deb12u1"));

    /** bookworm's 1:10.11.19-0+deb12u1, with the Breaks that made dpkg deconfigure three packages. */
    private static final List<DebPackage> MARIADB_UPDATE = List.of(
            patch("mariadb-client", "1:10.11.19-0+deb12u1", "Depends: mariadb-client-core (>= 1:10.11.19-0+deb12u1)",
                    "Breaks: mariadb-client-core (<< 1:10.11.19-0+deb12u1), mariadb-server (<< 1:10.11.19-0+deb12u1)"),
            patch("mariadb-client-core", "1:10.11.19-0+deb12u1", "Breaks: mariadb-server-core (<< 1:10.11.19-0+deb12u1)"),
            patch("mariadb-server", "1:10.11.19-0+deb12u1", "Depends: mariadb-client (>= 1:10.11.19-0+deb12u1),"
                    + " mariadb-server-core (>= 1:10.11.19-0+deb12u1)"),
            patch("mariadb-server-core", "1:10.11.19-0+deb12u1"));

    private static DebPlan plan(List<DpkgStatusEntry> image, List<DebPackage> patches) throws DebPlanRefusedException {
        return DebPlanner.plan(image, patches, DebPlanOptions.DEFAULTS);
    }

    private static PlannedPackage planned(DebPlan plan, String label) {
        return plan.unpackOrder().stream().filter(p -> p.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void deconfiguresWhatAPackageBreaksBeforeItIsUnpackedAndRunsTheirPrermsInDpkgsOrder() throws Exception {
        DebPlan plan = plan(MARIADB, MARIADB_UPDATE);

        assertThat(plan.deconfiguredBy(planned(plan, "mariadb-client"))).extracting(DebDeconfiguration::describe).containsExactly(
                "De-configuring mariadb-server (1:10.11.18-0+deb12u1), to allow installation of mariadb-client (1:10.11.19-0+deb12u1)",
                "De-configuring mariadb-client-core (1:10.11.18-0+deb12u1), to allow installation of mariadb-client (1:10.11.19-0+deb12u1)");
        assertThat(plan.deconfiguredBy(planned(plan, "mariadb-client-core"))).extracting(DebDeconfiguration::label)
                .containsExactly("mariadb-server-core");
        assertThat(plan.deconfiguredBy(planned(plan, "mariadb-server"))).isEmpty();
        assertThat(plan.deconfiguredBy(planned(plan, "mariadb-client")).get(0).prermArguments())
                .containsExactly("deconfigure", "in-favour", "mariadb-client", "1:10.11.19-0+deb12u1");
        assertThat(plan.describe()).contains("deconfigured on the way (dpkg --auto-deconfigure, as apt runs it):\n"
                + "  De-configuring mariadb-client-core (1:10.11.18-0+deb12u1), to allow installation of mariadb-client");
    }

    @Test
    void doesNotDeconfigureWhatWasUnpackedEarlierInTheRun() throws Exception {
        // a is unpacked first, so when b arrives a is no longer configured and nothing breaks it.
        DebPlan plan = plan(withDpkg(installed("a", "1"), installed("b", "1")),
                List.of(patch("a", "2"), patch("b", "2", "Breaks: a (<< 2)")));

        assertThat(plan.deconfigurations()).isEmpty();
    }

    @Test
    void deconfiguresAProviderOfABrokenNameAndNeverThePackageItself() throws Exception {
        DebPlan plan = plan(withDpkg(installed("a", "1"), installed("z", "1", "Provides: virtual-z")),
                List.of(patch("a", "2", "Breaks: virtual-z, a"), patch("z", "2")));

        assertThat(plan.deconfigurations()).extracting(DebDeconfiguration::label).containsExactly("z");
        assertThat(plan.deconfigurations().get(0).reason()).isEqualTo(DebDeconfiguration.Reason.BREAKS);
    }

    @Test
    void deconfiguresTheOtherInstanceOfAMultiArchSamePackageLeftAtItsOldVersion() throws Exception {
        DebPlan plan = plan(withDpkg(installed("libx", "1", "Multi-Arch: same"),
                        installed("libx", "1", "Multi-Arch: same", "Architecture: i386")),
                List.of(patch("libx", "2", "Multi-Arch: same"), patch("libx", "2", "Multi-Arch: same", "Architecture: i386")));

        assertThat(plan.unpackOrder()).extracting(PlannedPackage::label).containsExactly("libx:amd64", "libx:i386");
        assertThat(plan.deconfiguredBy(plan.unpackOrder().get(0))).extracting(DebDeconfiguration::describe)
                .containsExactly("De-configuring libx:i386 (1), to allow configuration of libx:amd64 (2)");
        assertThat(plan.deconfiguredBy(plan.unpackOrder().get(1))).isEmpty();
    }

    @Test
    void queuesADeconfiguredPackageForConfigurationRightAfterThePackageThatBrokeIt() throws Exception {
        // Unpacked a, b, c by name; c is deconfigured while a is unpacked, so dpkg queues it second.
        DebPlan plan = plan(withDpkg(installed("a", "1"), installed("b", "1"), installed("c", "1")),
                List.of(patch("a", "2", "Breaks: c (<< 2)"), patch("b", "2"), patch("c", "2")));

        assertThat(plan.unpackOrder()).extracting(PlannedPackage::label).containsExactly("a", "b", "c");
        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("a", "c", "b");
    }

    @Test
    void unpacksWhatOneBreaksEntryHitsTwiceFirstWhereDpkgWouldRefuse() throws Exception {
        // aaa sorts first; its one Breaks entry hits both instances of libbar, and dpkg deconfigures
        // one package per entry ("would break existing software"), so both are unpacked before it.
        DebPlan plan = plan(withDpkg(installed("aaa", "1"), installed("libbar", "1", "Multi-Arch: same"),
                        installed("libbar", "1", "Multi-Arch: same", "Architecture: i386")),
                List.of(patch("aaa", "2", "Breaks: libbar (<< 2)"), patch("libbar", "2", "Multi-Arch: same"),
                        patch("libbar", "2", "Multi-Arch: same", "Architecture: i386")));

        assertThat(plan.unpackOrder()).extracting(PlannedPackage::label).containsExactly("libbar:amd64", "libbar:i386", "aaa");
        assertThat(plan.deconfigurations()).extracting(DebDeconfiguration::describe)
                .containsExactly("De-configuring libbar:i386 (1), to allow configuration of libbar:amd64 (2)");
        assertThat(plan.describe()).contains("aaa is unpacked after libbar:amd64 and libbar:i386: aaa 2 breaks libbar (<< 2),"
                + " which libbar:amd64 1 and libbar:i386 1 satisfy");
    }

    @Test
    void unpacksTwoProvidersOfABrokenNameFirst() throws Exception {
        DebPlan plan = plan(withDpkg(installed("a", "1"), installed("z1", "1", "Provides: virt (= 1)"),
                        installed("z2", "1", "Provides: virt (= 1)")),
                List.of(patch("a", "2", "Breaks: virt (<< 2)"), patch("z1", "2", "Provides: virt (= 2)"),
                        patch("z2", "2", "Provides: virt (= 2)")));

        assertThat(plan.unpackOrder()).extracting(PlannedPackage::label).containsExactly("z1", "z2", "a");
        assertThat(plan.deconfigurations()).isEmpty();
    }

    @Test
    void refusesWhatOneBreaksEntryHitsTwiceWhenPreDependsKeepItFirst() {
        // z1 and z2 pre-depend on a, so a must be unpacked before them, where dpkg refuses it.
        assertThatThrownBy(() -> plan(withDpkg(installed("a", "1"), installed("z1", "1", "Provides: virt (= 1)"),
                        installed("z2", "1", "Provides: virt (= 1)")),
                List.of(patch("a", "2", "Breaks: virt (<< 2)"),
                        patch("z1", "2", "Provides: virt (= 2)", "Pre-Depends: a (>= 2)"),
                        patch("z2", "2", "Provides: virt (= 2)", "Pre-Depends: a (>= 2)"))))
                .isInstanceOf(DebPlanRefusedException.class)
                .hasMessageContaining("installing a 2 would break existing software: a 2 breaks virt (<< 2), which z1 1 and z2 1 satisfy");
    }
}
