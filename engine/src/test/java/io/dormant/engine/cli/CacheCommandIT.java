package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dormant cache}: what an apply left in the caches, and clearing it without touching what is in use. */
class CacheCommandIT {

    @RegisterExtension
    final DormantHome home = DormantHome.named("cache-command").with("DORMANT_RESIDENT", "0");
    private Path temp;
    private Path checkouts;
    private DormantProcess dormant;

    @BeforeEach
    void setUp() {
        temp = home.temp();
        checkouts = home.checkouts();
        dormant = home.dormant();
    }

    private void applyOnce() throws Exception {
        assertThat(dormant.run("image", "import", "base", TestRootfs.debian().toString()).exitCode()).isZero();
        Path deb = TestDebs.build(temp, "dormant-cached", "1.0", "echo configured\n");
        DormantProcess.Outcome applied = dormant.run("patch", "apply", "base", "--install-new", deb.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
    }

    @Test
    void showsWhatAnApplyLeftAndClearsAllButACheckoutInUse() throws Exception {
        applyOnce();

        DormantProcess.Outcome shown = dormant.run("cache");

        assertThat(shown.exitCode()).as(shown.output()).isZero();
        assertThat(shown.output()).containsPattern("checkouts +1 .* " + checkouts)
                .containsPattern("deb-data +1 ").contains("byte-compile");
        assertThat(dormant.run("cache", "--json").output())
                .containsPattern("\"name\" : \"deb-data\",\\s+\"where\" : \"[^\"]+\",\\s+\"entries\" : 1,\\s+\"bytes\" : [1-9][0-9]*,"
                        + "\\s+\"limitBytes\" : " + (4L << 30));

        DormantProcess.Outcome cleared = dormant.run("cache", "clear");

        assertThat(cleared.exitCode()).as(cleared.output()).isZero();
        assertThat(cleared.output()).containsPattern("deb-data +removed 1 ")
                .contains("kept 1 checkout(s) in use").contains(checkouts.toString());
        assertThat(dormant.run("cache").output()).containsPattern("checkouts +1 ").containsPattern("deb-data +0 ");

        // An hour after its last use the checkout is no longer in use.
        for (File mark : checkouts.toFile().listFiles((dir, name) -> name.endsWith(".used"))) {
            Files.setLastModifiedTime(mark.toPath(), FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(1).toMillis()));
        }
        DormantProcess.Outcome again = dormant.run("cache", "clear", "checkouts");

        assertThat(again.output()).containsPattern("checkouts +removed 1 ").doesNotContain("kept");
        assertThat(checkouts.toFile().list((dir, name) -> name.matches("[0-9a-f]{64}"))).isEmpty();
        assertThat(dormant.run("image", "export", "base@2", temp.resolve("exported").toString()).exitCode())
                .as("the versions are untouched").isZero();
    }

    @Test
    void anUnknownCacheIsNamedWithTheKnownOnes() throws Exception {
        DormantProcess.Outcome outcome = dormant.run("cache", "clear", "pyc");

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output()).contains("no cache named 'pyc'").contains("checkouts, deb-data, byte-compile, action-policy");
    }
}
