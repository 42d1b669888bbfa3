package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.rootfs.RootedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The emulated deb-systemd-helper against the real one (init-system-helpers of the image) in the
 * states an upgrade meets: a link the admin removed, a link a new unit version adds, a state file
 * with a stale line, and debhelper's whole postinst snippet; and rsyslog's chmod on a changed mode. Each case prepares two overlays of
 * the service image the same way (a shell snippet run confined in both), then runs the action
 * for real in one and emulated in the other, and compares the trees.
 */
class DebSystemdHelperIT {

    private static final String ENABLED = "/var/lib/systemd/deb-systemd-helper-enabled";
    private static final String DH_SNIPPET = """
            if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ] || [ "$1" = "abort-deconfigure" ] || [ "$1" = "abort-remove" ] ; then
            	# The following line should be removed in trixie or trixie+1
            	deb-systemd-helper unmask 'rsyslog.service' >/dev/null || true

            	# was-enabled defaults to true, so new installations run enable.
            	if deb-systemd-helper --quiet was-enabled 'rsyslog.service'; then
            		# Enables the unit on first installation, creates new
            		# symlinks on upgrades if the unit file has changed.
            		deb-systemd-helper enable 'rsyslog.service' >/dev/null || true
            	else
            		# Update the statefile to add new symlinks (if any), which need to be
            		# cleaned up on purge. Also remove old symlinks.
            		deb-systemd-helper update-state 'rsyslog.service' >/dev/null || true
            	fi
            fi
            """;

    /** {@code differsFromImage}: whether the tree after set-up and action differs from the image (a check that the case bites). */
    record Case(String name, String setup, String action, boolean differsFromImage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("enable of an unchanged, enabled unit changes nothing", "",
                        "deb-systemd-helper enable 'rsyslog.service' >/dev/null || true", false),
                new Case("enable does not bring back the only link an admin removed",
                        "rm -f /etc/systemd/system/timers.target.wants/apt-daily.timer " + ENABLED + "/timers.target.wants/apt-daily.timer",
                        "deb-systemd-helper enable 'apt-daily.timer' >/dev/null || true", true),
                new Case("enable adds a new link of a unit that has others (a WantedBy the new version added)",
                        "rm -f /etc/systemd/system/multi-user.target.wants/rsyslog.service " + ENABLED + "/multi-user.target.wants/rsyslog.service",
                        "deb-systemd-helper enable 'rsyslog.service' >/dev/null || true", false),
                new Case("enable keeps a link removed after it was recorded removed",
                        "rm -f /etc/systemd/system/multi-user.target.wants/rsyslog.service",
                        "deb-systemd-helper enable 'rsyslog.service' >/dev/null || true", true),
                new Case("update-state drops a stale line",
                        "echo /etc/systemd/system/stale.target.wants/rsyslog.service >> " + ENABLED + "/rsyslog.service.dsh-also",
                        "deb-systemd-helper update-state 'rsyslog.service' >/dev/null || true", false),
                new Case("debhelper's snippet on an enabled unit", "", DH_SNIPPET, false),
                new Case("rsyslog's chmod puts back the mode of its spool directory",
                        "chmod 755 /var/spool/rsyslog", "chmod 700 /var/spool/rsyslog", false),
                new Case("debhelper's snippet on a unit an admin disabled (was-enabled is false)",
                        "rm -f /etc/systemd/system/multi-user.target.wants/rsyslog.service", DH_SNIPPET, true),
                new Case("unmask removes the masked-state directories when they are empty",
                        "mkdir -p /var/lib/systemd/deb-systemd-helper-masked/empty",
                        "deb-systemd-helper unmask 'rsyslog.service' >/dev/null || true", false),
                new Case("debhelper's snippet with a state file that lacks a link",
                        "sed -i '\\#^/etc/systemd/system/syslog.service$#d' " + ENABLED + "/rsyslog.service.dsh-also", DH_SNIPPET, true));
    }

    private Path scratch;

    @BeforeEach
    void scratch() throws Exception {
        scratch = EmulateFixture.scratch("dsh-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEmulationLeavesWhatTheRealToolLeaves(Case c) throws Exception {
        Path image = EmulateFixture.serviceImage();
        byte[] action = ("#!/bin/sh\nset -e\n" + c.action()).getBytes(StandardCharsets.UTF_8);
        List<String> args = List.of("configure", "1.0-1");
        try (OverlayMount real = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("emulated")))) {
            setUp(real.merged(), c.setup());
            setUp(emulated.merged(), c.setup());
            ConfinedResult result = new ConfinedScript().run(real.merged(), ScriptInvocation.of("rsyslog", "postinst", action, args));
            assertThat(result.succeeded()).as(result.output()).isTrue();

            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(action, new ScriptCall("rsyslog", "postinst", args));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction a : emulation.actions()) {
                a.effect().perform(tree);
            }
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(EmulateFixture.effect(real));
            // The comparison is against the image, before the set-up: a link the tool put back is no difference.
            assertThat(EmulateFixture.effect(real).isEmpty()).as("differs from the image").isNotEqualTo(c.differsFromImage());
        }
    }

    private static void setUp(Path tree, String setup) throws Exception {
        if (!setup.isEmpty()) {
            ConfinedResult done = new ConfinedScript().run(tree, ScriptInvocation.of("dormant-test", "postinst",
                    ("#!/bin/sh\nset -e\n" + setup + "\n").getBytes(StandardCharsets.UTF_8), List.of("configure")));
            assertThat(done.succeeded()).as(done.output()).isTrue();
        }
    }
}
