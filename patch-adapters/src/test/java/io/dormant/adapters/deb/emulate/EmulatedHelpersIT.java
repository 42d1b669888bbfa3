package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A confined script whose deb-systemd-helper and dpkg-maintscript-helper calls are answered by
 * {@link EmulatedHelpers}, against the same script with the image's own tools, on two overlays of
 * the service image: the same output (the tools' messages and every exit code) and the same tree.
 */
class EmulatedHelpersIT {

    private static final String SCRIPT = """
            #!/bin/sh
            mkdir -p /var/lib/systemd/deb-systemd-helper-masked/empty
            rm -f /etc/systemd/system/multi-user.target.wants/rsyslog.service
            deb-systemd-helper was-enabled rsyslog.service; echo "was-enabled $?"
            deb-systemd-helper --quiet was-enabled cron.service; echo "quiet was-enabled $?"
            deb-systemd-helper debian-installed rsyslog.service; echo "debian-installed $?"
            deb-systemd-helper debian-installed no-such.service; echo "not debian-installed $?"
            deb-systemd-helper unmask rsyslog.service; echo "unmask $?"
            deb-systemd-helper update-state rsyslog.service; echo "update-state $?"
            deb-systemd-helper enable cron.service; echo "enable $?"
            deb-systemd-helper is-enabled cron.service; echo "is-enabled (the tool's own) $?"
            dpkg-maintscript-helper rm_conffile /etc/rsyslog.d/dormant-old.conf 1.0~ -- "$@"; echo "rm_conffile $?"
            dpkg-maintscript-helper mv_conffile /etc/a.conf /etc/b.conf 1.0~ -- "$@"; echo "mv_conffile $?"
            """;

    private Path scratch;

    @BeforeEach
    void scratch() throws Exception {
        scratch = EmulateFixture.scratch("helpers-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void answeredCallsGiveTheToolsOutputExitCodesAndTree() throws Exception {
        Path image = EmulateFixture.serviceImage();
        ScriptInvocation invocation = ScriptInvocation.of("rsyslog", "postinst", SCRIPT.getBytes(StandardCharsets.UTF_8),
                List.of("configure", "8.2302.0-1"));
        try (OverlayMount real = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("emulated")))) {
            ConfinedResult byTools = new ConfinedScript().run(real.merged(), invocation);
            ConfinedResult answered = new ConfinedScript().answering(new EmulatedHelpers(kind -> true))
                    .run(emulated.merged(), invocation);

            assertThat(byTools.succeeded()).as(byTools.output()).isTrue();
            assertThat(answered.output()).isEqualTo(byTools.output());
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(EmulateFixture.effect(real));
            assertThat(answered.helperCalls()).hasSize(9)
                    .anyMatch(c -> c.startsWith("deb-systemd-helper enable cron.service"))
                    .anyMatch(c -> c.startsWith("dpkg-maintscript-helper mv_conffile /etc/a.conf"));
            assertThat(byTools.output()).contains("was-enabled 1").contains("unmask 0");
        }
    }

    @Test
    void theActionPolicyKeepsUnitChangesWithTheImagesTool() throws Exception {
        Path image = EmulateFixture.serviceImage();
        ScriptInvocation invocation = ScriptInvocation.of("rsyslog", "postinst", SCRIPT.getBytes(StandardCharsets.UTF_8),
                List.of("configure", "8.2302.0-1"));
        try (OverlayMount overlay = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("policy")))) {
            ConfinedResult answered = new ConfinedScript()
                    .answering(new EmulatedHelpers(kind -> !kind.equals(ActionCatalogue.ENABLE_UNIT)))
                    .run(overlay.merged(), invocation);

            assertThat(answered.succeeded()).as(answered.output()).isTrue();
            assertThat(answered.helperCalls()).noneMatch(c -> c.startsWith("deb-systemd-helper enable")
                    || c.startsWith("deb-systemd-helper update-state") || c.startsWith("deb-systemd-helper unmask"));
        }
    }
}
