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

/** The order a plan applies its packages in, and how it reads. */
class DebPlanOrderTest {

    private static final List<DpkgStatusEntry> IMAGE = withDpkg(installed("a", "1"), installed("b", "1"),
            installed("c", "1"), installed("d", "1"));

    private static List<String> order(DebPackage... patches) throws DebPlanRefusedException {
        return plan(patches).packages().stream().map(PlannedPackage::label).toList();
    }

    private static DebPlan plan(DebPackage... patches) throws DebPlanRefusedException {
        return DebPlanner.plan(IMAGE, List.of(patches), DebPlanOptions.DEFAULTS);
    }

    @Test
    void isByNameWhenNothingInTheSetDependsOnAnother() throws Exception {
        assertThat(order(patch("d", "2"), patch("b", "2"), patch("a", "2"), patch("c", "2")))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void putsPreDependenciesAndDependenciesFirst() throws Exception {
        assertThat(order(patch("a", "2", "Pre-Depends: d (>= 2)"), patch("b", "2", "Depends: c | x"),
                patch("c", "2", "Depends: d"), patch("d", "2")))
                .containsExactly("d", "a", "c", "b");
    }

    @Test
    void unpacksByNameAsDpkgIDoesWithOnlyPreDependenciesFirst() throws Exception {
        DebPlan plan = plan(patch("a", "2", "Depends: d"), patch("b", "2", "Pre-Depends: c"), patch("c", "2"),
                patch("d", "2"));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("c", "b", "d", "a");
        assertThat(plan.unpackOrder()).extracting(PlannedPackage::label).containsExactly("a", "c", "b", "d");
    }

    @Test
    void configuresAsDpkgsQueueDoesAPackageThatWaitsGoingToItsEnd() throws Exception {
        assertThat(order(patch("a", "2", "Depends: b"), patch("b", "2"), patch("c", "2", "Depends: d"), patch("d", "2")))
                .containsExactly("b", "d", "a", "c");
    }

    @Test
    void ordersByWhatProvidesADependency() throws Exception {
        assertThat(order(patch("a", "2", "Depends: virtual-b"), patch("b", "2", "Provides: virtual-b")))
                .containsExactly("b", "a");
    }

    @Test
    void breaksADependsCycleAtTheFirstNameAndSaysSo() throws Exception {
        DebPlan plan = plan(patch("c", "2", "Depends: b"), patch("b", "2", "Depends: c"), patch("a", "2", "Depends: c"));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("b", "c", "a");
        assertThat(plan.notes()).containsExactly("Depends cycle b depends on c depends on b: b is placed before what it depends on");
    }

    @Test
    void breaksAMixedCycleWhereOnlyDependsWaits() throws Exception {
        DebPlan plan = plan(patch("a", "2", "Pre-Depends: b"), patch("b", "2", "Depends: a"));

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("b", "a");
        assertThat(plan.notes()).containsExactly("Depends cycle b depends on a pre-depends on b: b is placed before what it depends on");
    }

    @Test
    void refusesAPreDependsLoop() {
        DebPlanRefusedException e = catchThrowableOfType(() -> plan(patch("a", "2", "Pre-Depends: c"),
                patch("b", "2", "Pre-Depends: a"), patch("c", "2", "Pre-Depends: b")), DebPlanRefusedException.class);

        assertThat(e.reasons()).containsExactly("Pre-Depends loop a pre-depends on c pre-depends on b pre-depends on a:"
                + " dpkg cannot unpack any of these packages before the others");
    }

    @Test
    void describesThePlanAsATable() throws Exception {
        DebPlan plan = DebPlanner.plan(IMAGE, List.of(patch("b", "2", "Depends: new"), patch("new", "1.0-1"),
                patch("a", "1"), patch("x", "1", "Architecture: s390x")), DebPlanOptions.DEFAULTS);

        assertThat(plan.describe()).isEqualTo("""
                #  package  arch   action   from  to
                1  new      amd64  install  -     1.0-1
                2  b        amd64  upgrade  1     2
                skipped:
                  a_1_amd64.deb: already installed at 1
                  x_1_s390x.deb: built for s390x, but the image is amd64
                notes:
                  new 1.0-1 is installed: b 2 depends on new
                """);
        assertThat(new DebPlan(List.of(), List.of(), List.of("n")).describe()).isEqualTo("nothing to apply\nnotes:\n  n\n");
    }
}
