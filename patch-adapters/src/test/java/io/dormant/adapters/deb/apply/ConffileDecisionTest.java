package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DpkgConffileOptions;
import io.dormant.adapters.deb.apply.ConffileDecision.Outcome;
import org.junit.jupiter.api.Test;

/** dpkg's conffile table (configure.c's conffoptcells) and its answers to its own question. */
class ConffileDecisionTest {

    private static final DpkgConffileOptions NONE = DpkgConffileOptions.NONE;
    private static final DpkgConffileOptions CONFNEW = new DpkgConffileOptions(true, false, false, false, false);
    private static final DpkgConffileOptions CONFNEW_CONFDEF = new DpkgConffileOptions(true, false, true, false, false);
    private static final DpkgConffileOptions CONFMISS = new DpkgConffileOptions(false, false, false, true, false);
    private static final DpkgConffileOptions CONFASK = new DpkgConffileOptions(false, false, false, false, true);

    @Test
    void neitherOrOnlyOneSideChangedItIsDecidedWithoutAQuestion() {
        assertThat(ConffileDecision.decide(NONE, "old", "old", "old")).isEqualTo(choice(Outcome.KEEP, false));
        assertThat(ConffileDecision.decide(NONE, "old", "old", "new")).isEqualTo(choice(Outcome.INSTALL, false));
        assertThat(ConffileDecision.decide(NONE, "old", "admin", "old")).isEqualTo(choice(Outcome.KEEP, false));
        assertThat(ConffileDecision.decide(NONE, "old", "new", "new")).as("the admin made the package's new version")
                .isEqualTo(choice(Outcome.KEEP, false));
    }

    @Test
    void bothChangedItIsAskedAndKeptUnlessTheImageSaysConfnewWithoutConfdef() {
        assertThat(ConffileDecision.decide(NONE, "old", "admin", "new")).isEqualTo(choice(Outcome.KEEP_WITH_DIST, false));
        assertThat(ConffileDecision.decide(CONFNEW, "old", "admin", "new")).isEqualTo(choice(Outcome.INSTALL_WITH_OLD, false));
        assertThat(ConffileDecision.decide(CONFNEW_CONFDEF, "old", "admin", "new")).as("confdef takes the default: keep")
                .isEqualTo(choice(Outcome.KEEP_WITH_DIST, false));
    }

    @Test
    void aDeletedConffileStaysDeletedUnlessConfmiss() {
        assertThat(ConffileDecision.decide(NONE, "old", null, "old")).isEqualTo(choice(Outcome.KEEP, true));
        assertThat(ConffileDecision.decide(NONE, "old", null, "new")).isEqualTo(choice(Outcome.KEEP_WITH_DIST, true));
        assertThat(ConffileDecision.decide(CONFNEW, "old", null, "new")).isEqualTo(choice(Outcome.INSTALL_WITH_OLD, true));
        assertThat(ConffileDecision.decide(CONFMISS, "old", null, "old")).isEqualTo(choice(Outcome.INSTALL, false));
    }

    @Test
    void aFileTheAdminMadeWhereTheVersionAddsAConffileIsAskedAbout() {
        assertThat(ConffileDecision.decide(NONE, ConffileUpgrade.NEW_CONFFILE, null, "new")).isEqualTo(choice(Outcome.INSTALL, false));
        assertThat(ConffileDecision.decide(NONE, ConffileUpgrade.NEW_CONFFILE, "admin", "new"))
                .isEqualTo(choice(Outcome.KEEP_WITH_DIST, false));
        assertThat(ConffileDecision.decide(CONFNEW, null, "admin", "new")).isEqualTo(choice(Outcome.INSTALL_WITH_OLD, false));
    }

    @Test
    void confaskAsksAboutAnyFileTheAdminChanged() {
        assertThat(ConffileDecision.decide(CONFASK, "old", "admin", "old")).isEqualTo(choice(Outcome.KEEP_WITH_DIST, false));
        assertThat(ConffileDecision.decide(CONFASK, "old", "old", "new")).isEqualTo(choice(Outcome.INSTALL, false));
    }

    private static ConffileDecision.Choice choice(Outcome outcome, boolean deleted) {
        return new ConffileDecision.Choice(outcome, deleted);
    }
}
