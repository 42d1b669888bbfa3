package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DpkgTriggerInterest;
import io.dormant.adapters.deb.DpkgTriggers;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which interested packages an activation reaches, as dpkg's trigger library decides. */
class TriggerActivationTest {

    @TempDir
    Path tree;

    // php8.2-fpm's interest in its conf.d, which php8.2-common's triggers file activates by name
    // (activate-noawait /etc/php/8.2/fpm/conf.d) and php-maintscript-helper with dpkg-trigger.
    private final DpkgTriggers interests = new DpkgTriggers(List.of(
            new DpkgTriggerInterest("/etc/php/8.2/fpm/conf.d", "php8.2-fpm", true),
            new DpkgTriggerInterest("/etc/php", "php-watcher", false),
            new DpkgTriggerInterest("/etc/php/8.2/fpm/conf.d/20-opcache.ini", "php-ini-watcher", false)),
            List.of(new DpkgTriggerInterest("ldconfig", "libc-bin", true)), List.of());

    @Test
    void anActivateDirectiveNamingAPathActivatesTheFileInterestInExactlyThatPath() {
        TriggerActivation activation = new TriggerActivation(interests, new TriggerStates(), p -> true);

        activation.activatedByName("/etc/php/8.2/fpm/conf.d", null);
        activation.activatedByName("ldconfig", null);
        activation.activatedByName("/usr/lib/nothing-interested", null);

        assertThat(activation.takePending()).isEqualTo(Map.of(
                "php8.2-fpm", List.of("/etc/php/8.2/fpm/conf.d"),
                "libc-bin", List.of("ldconfig")));
    }

    @Test
    void dpkgTriggerOfAPathActivatesTheFileInterestAndEmptiesUnincorp() throws IOException {
        Path unincorp = tree.resolve("var/lib/dpkg/triggers/Unincorp");
        Files.createDirectories(unincorp.getParent());
        Files.writeString(unincorp, "/etc/php/8.2/fpm/conf.d php8.2-opcache\n");
        TriggerActivation activation = new TriggerActivation(interests, new TriggerStates(), p -> true);

        activation.activatedDuringScripts(new RootedFiles(tree));

        assertThat(activation.takePending()).isEqualTo(Map.of("php8.2-fpm", List.of("/etc/php/8.2/fpm/conf.d")));
        assertThat(Files.size(unincorp)).isZero();
    }

    @Test
    void aPackageOfTheSetIsNotInterestedFromItsUnpackToTheEndOfItsConfigure() {
        TriggerActivation activation = new TriggerActivation(interests, new TriggerStates(), p -> true);

        activation.activatedByName("/etc/php/8.2/fpm/conf.d", null);
        activation.unpacking("php8.2-fpm");
        assertThat(activation.takePending()).as("pending triggers go when its unpack starts").isEmpty();

        activation.unpacking("php8.2-fpm");
        activation.activatedByPaths(List.of("/etc/php/8.2/fpm/conf.d/20-opcache.ini"), "php8.2-opcache");
        activation.activatedByName("/etc/php/8.2/fpm/conf.d", null);
        assertThat(activation.takePending()).isEqualTo(Map.of(
                "php-watcher", List.of("/etc/php"),
                "php-ini-watcher", List.of("/etc/php/8.2/fpm/conf.d/20-opcache.ini")));

        activation.configuring("php8.2-fpm");
        activation.configured("php8.2-fpm");
        activation.activatedByName("/etc/php/8.2/fpm/conf.d", null);
        assertThat(activation.takePending()).isEqualTo(Map.of("php8.2-fpm", List.of("/etc/php/8.2/fpm/conf.d")));
    }

    @Test
    void triggeredPackagesRunInTheOrderTheyWereFirstActivated() {
        TriggerActivation activation = new TriggerActivation(interests, new TriggerStates(), p -> true);

        activation.activatedByName("ldconfig", null);
        activation.activatedByPaths(List.of("/etc/php/8.2/fpm/conf.d/20-opcache.ini"), "php8.2-opcache");
        activation.unpacking("libc-bin");
        activation.configuring("libc-bin");
        activation.configured("libc-bin");
        activation.activatedByName("/etc/php/8.2/fpm/conf.d", null);
        activation.activatedByName("ldconfig", null);

        assertThat(activation.takePending().keySet())
                .containsExactly("libc-bin", "php8.2-fpm", "php-watcher", "php-ini-watcher");
    }

    @Test
    void aPostinstIsToldItsTriggersTheNewestFirstAsDpkgTellsIt() {
        DpkgTriggers two = new DpkgTriggers(List.of(new DpkgTriggerInterest("/usr/share/a", "t", false),
                new DpkgTriggerInterest("/usr/share/b", "t", false)), List.of(new DpkgTriggerInterest("x", "t", true)), List.of());
        TriggerActivation activation = new TriggerActivation(two, new TriggerStates(), p -> true);

        activation.activatedByPaths(List.of("/usr/share/a/1", "/usr/share/b/2"), "u");
        activation.activatedByName("x", "v");
        activation.activatedByName("/usr/share/a", null);

        assertThat(activation.takePending()).isEqualTo(Map.of("t", List.of("x", "/usr/share/b", "/usr/share/a")));
    }

    @Test
    void thePackagesThatAreNotConfiguredShowNoTriggerStateAndTheirActivatorsAwaitNothing() throws Exception {
        TriggerStates states = new TriggerStates();
        TriggerActivation activation = new TriggerActivation(interests, states, "php-watcher"::equals);

        activation.activatedByPaths(List.of("/etc/php/8.2/fpm/conf.d/20-opcache.ini"), "php8.2-opcache");

        assertThat(states.takeChanged()).containsExactly("php-watcher", "php8.2-opcache");
        assertThat(activation.takePending().keySet()).as("processing still goes by the status at its time")
                .containsExactly("php8.2-fpm", "php-watcher", "php-ini-watcher");
    }
}
