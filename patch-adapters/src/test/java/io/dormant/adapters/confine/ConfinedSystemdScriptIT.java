package io.dormant.adapters.confine;

import static io.dormant.adapters.confine.OverlayChange.Kind.DELETED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripts run confined over a bookworm tree with systemd, openssh-server and cron: systemctl's
 * offline verbs go to the image's own systemctl, its start verbs are deferred, and a real
 * maintainer script runs through.
 */
class ConfinedSystemdScriptIT {

    private final ConfinedScript confined = new ConfinedScript();
    private Path lower;
    private ConfineFixture.MountedImage image;
    private OverlayMount overlay;

    @BeforeEach
    void mountOverlay() throws Exception {
        ConfineFixture.assumeSandboxTools();
        lower = ConfineFixture.serviceImage();
        image = ConfineFixture.MountedImage.of(lower);
        overlay = image.overlay();
    }

    @AfterEach
    void unmount() throws Exception {
        if (image != null) {
            image.close();
        }
    }

    @Test
    void startsAreDeferredAndOfflineVerbsWorkOnTheImage() throws Exception {
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                adduser --system --group --no-create-home dormanttest
                systemctl restart ssh.service || true
                invoke-rc.d cron restart
                invoke-rc.d --skip-systemd-native cron restart
                start-stop-daemon --start --exec /bin/true
                deb-systemd-invoke restart cron.service
                systemctl --quiet try-restart apache2.service
                systemctl disable apache2.service 2>/dev/null
                systemctl is-enabled apache2.service || echo "is-enabled exit $?"
                systemctl is-active ssh.service || echo "is-active exit $?"
                systemctl enable --now cron.service 2>/dev/null
                systemctl daemon-reload 2>/dev/null
                service ssh status || echo "service status exit $?"
                systemctl --no-pager status ssh.service || echo "systemctl status exit $?"
                /etc/init.d/cron status >/dev/null || echo "init script status exit $?"
                ln -s /dev/null /etc/systemd/system/dormant-masked.service
                echo "masked unit: $(systemctl show -P LoadState dormant-masked.service)"
                echo "ssh unit: $(systemctl show -p LoadState --value ssh.service)"
                echo "missing unit: $(systemctl show --property=LoadState dormant-nothing.service)"
                start-stop-daemon --stop --quiet --name sshd || echo "stop exit $?"
                echo finished
                """));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("disabled\nis-enabled exit 1", "inactive\nis-active exit 3",
                "service status exit 3", "systemctl status exit 3", "init script status exit 3", "masked unit: masked\n", "ssh unit: loaded\n",
                "missing unit: LoadState=not-found\n", "stop exit 1", "finished");
        assertThat(result.deferred()).containsExactly(
                new RecordedCommand("systemctl", List.of("restart", "ssh.service")),
                new RecordedCommand("invoke-rc.d", List.of("cron", "restart")),
                new RecordedCommand("start-stop-daemon", List.of("--start", "--exec", "/bin/true")),
                new RecordedCommand("deb-systemd-invoke", List.of("restart", "cron.service")),
                new RecordedCommand("systemctl", List.of("--quiet", "try-restart", "apache2.service")),
                new RecordedCommand("systemctl", List.of("enable", "--now", "cron.service")));
        assertThat(overlay.changes()).contains(
                new OverlayChange("/etc/systemd/system/multi-user.target.wants/apache2.service", DELETED));
        assertThat(lower.resolve("etc/systemd/system/multi-user.target.wants/apache2.service")).isSymbolicLink();
        assertThat(overlay.merged().resolve("usr/sbin/policy-rc.d")).doesNotExist();
    }

    @Test
    void theRealOpensshPostinstRunsAndItsRestartIsDeferred() throws Exception {
        byte[] postinst = Files.readAllBytes(lower.resolve("var/lib/dpkg/info/openssh-server.postinst"));
        ConfinedResult result = confined.run(overlay.merged(), ScriptInvocation.of("openssh-server", "postinst",
                postinst, List.of("configure", "1:9.2p1-2+deb12u9")));

        assertThat(result.exitCode()).as(result.output()).isZero();
        // systemd's way, as at first boot; invoke-rc.d --skip-systemd-native steps aside for ssh's own unit.
        // deb-systemd-invoke itself skips the disabled ssh.socket when the step is replayed.
        assertThat(result.deferred()).containsExactly(
                new RecordedCommand("deb-systemd-invoke", List.of("restart", "rescue-ssh.target", "ssh.service")),
                new RecordedCommand("deb-systemd-invoke", List.of("restart", "ssh.socket")));
        System.out.println("confine: openssh-server postinst in " + result.duration().toMillis() + " ms, deferred "
                + result.deferred().stream().map(RecordedCommand::shellLine).toList() + ", changes " + overlay.changes());
    }
}
