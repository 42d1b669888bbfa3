package io.dormant.adapters.confine;

import static io.dormant.adapters.confine.OverlayChange.Kind.ADDED_OR_CHANGED;
import static io.dormant.adapters.confine.OverlayChange.Kind.DELETED;
import static io.dormant.adapters.confine.OverlayChange.Kind.OPAQUE_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripts run confined over an overlay of the real bookworm minbase tree. Each test checks what the
 * script saw and did inside, that the upper dir holds exactly its changes, and that the host did not move.
 */
class ConfinedScriptIT {

    private final ConfinedScript confined = new ConfinedScript();
    private Path lower;
    private ConfineFixture.MountedImage image;
    private OverlayMount overlay;
    private String hostPasswd;

    @BeforeEach
    void mountOverlay() throws Exception {
        ConfineFixture.assumeSandboxTools();
        lower = ConfineFixture.minbase();
        image = ConfineFixture.MountedImage.of(lower);
        overlay = image.overlay();
        hostPasswd = ConfineFixture.sha256(Path.of("/etc/passwd"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (image != null) {
            image.close();
            assertThat(ConfineFixture.sha256(Path.of("/etc/passwd"))).isEqualTo(hostPasswd);
        }
    }

    @Test
    void aSystemUserIsAddedInTheImageAndEveryServiceStartIsDeferred() throws Exception {
        String lowerPasswd = ConfineFixture.sha256(lower.resolve("etc/passwd"));
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                adduser --system --group --no-create-home dormanttest
                systemctl restart ssh.service || echo "systemctl exit $?"
                invoke-rc.d cron restart
                start-stop-daemon --start --exec /bin/true
                start-stop-daemon --start --exec /usr/bin/touch -- /root/started
                /usr/sbin/policy-rc.d cron start || echo "policy-rc.d exit $?"
                echo "done as $DPKG_MAINTSCRIPT_PACKAGE $DPKG_MAINTSCRIPT_NAME $*"
                """));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("policy-rc.d exit 101", "done as dormant-test postinst configure 1.0-1")
                // the minbase image has no systemctl: the script gets "not found" as dpkg would give it
                .contains("systemctl exit 127");
        assertThat(result.deferred()).containsExactly(
                new RecordedCommand("invoke-rc.d", List.of("cron", "restart")),
                new RecordedCommand("start-stop-daemon", List.of("--start", "--exec", "/bin/true")),
                new RecordedCommand("start-stop-daemon", List.of("--start", "--exec", "/usr/bin/touch", "--", "/root/started")));
        assertThat(overlay.merged().resolve("root/started")).doesNotExist();
        assertThat(Files.readString(overlay.merged().resolve("etc/passwd"))).contains("dormanttest:x:");
        assertThat(overlay.changes()).contains(
                new OverlayChange("/etc/passwd", ADDED_OR_CHANGED),
                new OverlayChange("/etc/group", ADDED_OR_CHANGED),
                new OverlayChange("/etc/shadow", ADDED_OR_CHANGED));
        assertThat(overlay.changes()).extracting(OverlayChange::path)
                .noneMatch(path -> path.startsWith("/run") || path.startsWith("/tmp") || path.contains("policy-rc.d"));
        assertThat(overlay.merged().resolve("usr/sbin/policy-rc.d")).doesNotExist();
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("dormanttest");
        assertThat(ConfineFixture.sha256(lower.resolve("etc/passwd"))).isEqualTo(lowerPasswd);
    }

    @Test
    void theBootLoaderIsWrittenAtFirstBootNotOffline() throws Exception {
        // As grub2-common installs them: tools that would probe the image's disks and write /boot/grub.
        for (String tool : List.of("update-grub", "grub-install")) {
            Path command = overlay.merged().resolve("usr/sbin/" + tool);
            Files.writeString(command, "#!/bin/sh\nmkdir -p /boot/grub && echo \"$0 $*\" > /boot/grub/written\n");
            command.toFile().setExecutable(true, false);
        }
        Files.createSymbolicLink(overlay.merged().resolve("usr/sbin/update-grub2"), Path.of("update-grub"));
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                update-grub
                update-grub2
                grub-install --no-floppy /dev/vda
                echo "exit codes 0"
                """));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("exit codes 0");
        // update-grub2 is a link to update-grub, as grub2-common ships it: the same command.
        assertThat(result.deferred()).containsExactly(new RecordedCommand("update-grub", List.of()),
                new RecordedCommand("update-grub", List.of()), new RecordedCommand("grub-install", List.of("--no-floppy", "/dev/vda")));
        assertThat(overlay.merged().resolve("boot/grub/written")).doesNotExist();
        assertThat(DeferredReason.of("update-grub")).contains("needs the image's disks");
        assertThat(DeferredReason.isBootLoader("grub-install")).isTrue();
        assertThat(DeferredReason.isBootLoader("systemctl")).isFalse();
        assertThat(DeferredReason.of("systemctl restart ssh")).contains("starts or restarts a service");
    }

    @Test
    void aFailingScriptGivesItsExitCodeAndOutput() throws Exception {
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                echo "about to fail"
                echo "on stderr" >&2
                exit 7
                """));

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.output()).contains("about to fail", "on stderr");
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void theNetworkCannotBeReached() throws Exception {
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/bash
                getent hosts deb.debian.org; echo "getent exit $?"
                (exec 3<>/dev/tcp/151.101.2.132/80) 2>/dev/null; echo "tcp exit $?"
                cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d ' '
                """));

        assertThat(result.output()).contains("getent exit 2").doesNotContain("tcp exit 0");
        assertThat(result.output().lines().filter(line -> !line.contains("exit")).toList()).containsExactly("lo");
    }

    @Test
    void writesToTmpAndRunLeaveNothingInTheImage() throws Exception {
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                echo x > /tmp/x
                echo x > /run/x
                cat /tmp/x /run/x
                """));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(overlay.changes()).isEmpty();
        assertThat(overlay.upper().resolve("tmp/x")).doesNotExist();
        assertThat(overlay.upper().resolve("run/x")).doesNotExist();
    }

    @Test
    void deletingFilesOfTheBaseShowsAsDeletedAndARemadeDirectoryAsOpaque() throws Exception {
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                rm /etc/issue
                rm -r /etc/skel
                mkdir /etc/skel
                echo fresh > /etc/skel/.profile
                """));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(overlay.changes()).containsExactly(
                new OverlayChange("/etc/issue", DELETED),
                new OverlayChange("/etc/skel", OPAQUE_DIR),
                new OverlayChange("/etc/skel/.profile", ADDED_OR_CHANGED));
        assertThat(lower.resolve("etc/issue")).exists();
    }

    @Test
    void aTimeoutKillsTheWholeSandboxInTime() throws Exception {
        String marker = "dormant-" + UUID.randomUUID();
        Duration timeout = Duration.ofSeconds(2);
        long started = System.nanoTime();
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                sh -c 'sleep 60; : %s' &
                sleep 60
                """.formatted(marker)).withTimeout(timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(took).isLessThan(timeout.plusSeconds(2));
        assertThat(processesWith(marker)).isEmpty();
    }

    @Test
    void aScriptLeavesNoProcessBehind() throws Exception {
        String marker = "dormant-" + UUID.randomUUID();
        ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                nohup sh -c 'sleep 300; : %s' >/dev/null 2>&1 &
                echo started
                """.formatted(marker)));

        assertThat(result.exitCode()).isZero();
        Thread.sleep(200);
        assertThat(processesWith(marker)).isEmpty();
    }

    @Test
    void aSymlinkToAHostFileOnlyEverReachesTheImagesOwnFile() throws Exception {
        Path sentinel = Files.writeString(Files.createTempFile(Path.of("/var/tmp"), "sentinel", ".txt"), "host\n");
        try {
            ConfinedResult result = confined.run(overlay.merged(), ConfineFixture.script("""
                    #!/bin/sh
                    ln -s /etc/shadow /root/leak
                    cat /root/leak
                    echo image > %s
                    echo "intruder:x:0:0::/:/bin/sh" >> /etc/passwd
                    """.formatted(sentinel)));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).isEqualTo(Files.readString(lower.resolve("etc/shadow")));
            assertThat(sentinel).hasContent("host");
            assertThat(overlay.merged().resolve(sentinel.toString().substring(1))).hasContent("image");
            assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("intruder");
        } finally {
            Files.delete(sentinel);
        }
    }

    @Test
    void setupOverheadIsSmall() throws Exception {
        ScriptInvocation nothing = ConfineFixture.script("#!/bin/sh\nexit 0\n");
        confined.run(overlay.merged(), nothing); // warm up the JVM's process launching
        int runs = 10;
        long started = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            assertThat(confined.run(overlay.merged(), nothing).exitCode()).isZero();
        }
        long perRunMillis = (System.nanoTime() - started) / runs / 1_000_000;
        System.out.println("confine: one run of an empty script, setup and teardown included: " + perRunMillis + " ms");
        assertThat(perRunMillis).isLessThan(1000);
    }

    static List<ProcessHandle> processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }
}
