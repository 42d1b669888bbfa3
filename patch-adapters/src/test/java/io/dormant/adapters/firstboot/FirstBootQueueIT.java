package io.dormant.adapters.firstboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.fs.DirectoryExporter;
import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue written into a real Debian tree, then run there the way the first boot runs it. */
class FirstBootQueueIT {

    private Path scratch;
    private ContentStore store;
    private ObjectId base;

    @BeforeEach
    void importDebianTree() throws Exception {
        String configured = System.getenv("DORMANT_TEST_ROOTFS");
        Path rootfs = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-minbase");
        Assumptions.assumeTrue(Files.isDirectory(rootfs.resolve("etc")), "no Debian tree at " + rootfs);
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "firstboot");
        store = ContentStore.open(scratch.resolve("store"));
        base = new DirectoryImporter(store, scratch.resolve("cache")).importDirectory(rootfs, Progress.none()).root();
    }

    @AfterEach
    void removeScratch() throws Exception {
        new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).start().waitFor();
    }

    @Test
    void stepsRunOnceInOrderAreLoggedAndTheRunnerRemovesItself() throws Exception {
        Workspace workspace = Workspace.open(store, base);
        FirstBootQueue queue = new FirstBootQueue(workspace);
        queue.add(new DeferredStep("openssh-server", "postinst configure", "restarts a service",
                "echo first >> /root/order"));
        queue.add(new DeferredStep("broken", "postinst configure", "a script that fails", "exit 3"));
        queue.add(new DeferredStep("cron", "postinst configure", "restarts a service", "echo third >> /root/order"));
        Path tree = scratch.resolve("tree");
        new DirectoryExporter(store).export(workspace.commit(), tree, Progress.none());

        assertThat(tree.resolve("etc/init.d/dormant-firstboot")).exists();
        assertThat(tree.resolve("etc/init.d/.depend.start")).as("no insserv order where the image had none").doesNotExist();
        assertThat(Files.readSymbolicLink(tree.resolve("etc/rc2.d/S99dormant-firstboot")).toString())
                .isEqualTo("../init.d/dormant-firstboot");
        assertThat(queue.written()).containsExactly(
                "/var/lib/dormant/firstboot/steps/0001-openssh-server-postinst-configure.sh",
                "/var/lib/dormant/firstboot/steps/0002-broken-postinst-configure.sh",
                "/var/lib/dormant/firstboot/steps/0003-cron-postinst-configure.sh");

        Process boot = new ProcessBuilder("chroot", tree.toString(), "/etc/init.d/dormant-firstboot", "start")
                .redirectErrorStream(true).start();
        assertThat(boot.waitFor()).isZero();

        assertThat(Files.readString(tree.resolve("root/order"))).isEqualTo("first\nthird\n");
        String log = Files.readString(tree.resolve("var/log/dormant-firstboot.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("step 0001-openssh-server-postinst-configure.sh: ok")
                .contains("step 0002-broken-postinst-configure.sh: FAILED with exit code 3")
                .contains("end, 1 failed step(s)");
        assertThat(tree.resolve("usr/lib/dormant/firstboot")).doesNotExist();
        assertThat(tree.resolve("etc/init.d/dormant-firstboot")).doesNotExist();
        assertThat(tree.resolve("var/lib/dormant/firstboot/steps/0002-broken-postinst-configure.sh.failed")).exists();
    }

    @Test
    void imagesWithSystemdGetAnEnabledOneshotUnitAndLaterRunsAppend() throws Exception {
        Workspace first = Workspace.open(store, base);
        first.write("/lib/systemd/systemd", new java.io.ByteArrayInputStream(new byte[0]));
        new FirstBootQueue(first).add(new DeferredStep("a", "postinst", "why", "true"));
        Workspace second = Workspace.open(store, first.commit());

        FirstBootQueue later = new FirstBootQueue(second);
        later.add(new DeferredStep("b", "postinst", "why", "true"));

        assertThat(later.written()).containsExactly("/var/lib/dormant/firstboot/steps/0002-b-postinst.sh");
        assertThat(new String(second.readAllBytes(FirstBootQueue.UNIT), StandardCharsets.UTF_8))
                .contains("Type=oneshot").contains("WantedBy=multi-user.target");
        assertThat(second.lstat(FirstBootQueue.UNIT_LINK).type().name()).isEqualTo("SYMLINK");
        assertThat(second.exists(FirstBootQueue.INIT_SCRIPT)).isFalse();
    }

    @Test
    void anImageWithSystemdThatBootsSysvinitGetsBoth() throws Exception {
        Workspace workspace = Workspace.open(store, base);
        workspace.write("/lib/systemd/systemd", new java.io.ByteArrayInputStream(new byte[0]));
        workspace.write("/sbin/init", new java.io.ByteArrayInputStream(new byte[0]));

        new FirstBootQueue(workspace).add(new DeferredStep("a", "postinst", "why", "true"));

        assertThat(workspace.exists(FirstBootQueue.UNIT_LINK)).isTrue();
        assertThat(workspace.exists(FirstBootQueue.INIT_SCRIPT)).as("sysvinit's /sbin/init boots it").isTrue();
    }

    /**
     * A real sysvinit boot of the ninth fidelity image (bin/test builds it): Debian's rc boots
     * "makefile-style" through startpar, which starts only what insserv's .depend.start lists. The
     * image's own services are replaced by scripts with the same LSB headers that note their start.
     */
    @Test
    void startparBootsTheRunnerLastOnAnImageInInsservOrder() throws Exception {
        String configured = System.getenv("DORMANT_TEST_SERVICE_IMAGE_9");
        Assumptions.assumeTrue(configured != null && Files.isRegularFile(Path.of(configured, "etc/init.d/.depend.start")),
                "no sysvinit image with insserv's boot order (DORMANT_TEST_SERVICE_IMAGE_9)");
        Workspace workspace = Workspace.open(store,
                new DirectoryImporter(store, scratch.resolve("cache-sysvinit")).importDirectory(Path.of(configured), Progress.none()).root());
        String order = new String(workspace.readAllBytes("/etc/init.d/.depend.start"), StandardCharsets.UTF_8);
        for (var link : workspace.list("/etc/rc2.d")) {
            String name = link.nameString();
            if (name.matches("S[0-9]{2}.+")) {
                String script = "/etc/init.d/" + name.substring(3);
                String original = new String(workspace.readAllBytes(script), StandardCharsets.UTF_8);
                String header = original.substring(original.indexOf("### BEGIN INIT INFO"), original.indexOf("### END INIT INFO") + 17);
                workspace.write(script, new java.io.ByteArrayInputStream(("#!/bin/sh\n" + header + "\n[ \"$1\" = start ] && echo "
                        + name.substring(3) + " >> /var/log/booted\nexit 0\n").getBytes(StandardCharsets.UTF_8)));
                workspace.chmod(script, 0755);
            }
        }
        new FirstBootQueue(workspace).add(new DeferredStep("nginx", "postinst configure", "restarts a service",
                "echo deferred-restart >> /var/log/booted"));
        Path tree = scratch.resolve("sysvinit");
        new DirectoryExporter(store).export(workspace.commit(), tree, Progress.none());

        Process boot = new ProcessBuilder("bwrap", "--bind", tree.toString(), "/", "--proc", "/proc", "--dev", "/dev",
                "--tmpfs", "/run", "--tmpfs", "/tmp", "--unshare-pid", "--unshare-net", "--die-with-parent", "--chdir", "/",
                "/bin/sh", "-c", "eval \"$(startpar -p 4 -t 20 -T 3 -M start -P N -R 2)\"").redirectErrorStream(true).start();
        String output = new String(boot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(boot.waitFor()).as(output).isZero();

        List<String> booted = Files.readAllLines(tree.resolve("var/log/booted"));
        assertThat(booted).as("every service started, then the deferred step").contains("nginx", "ssh")
                .last().isEqualTo("deferred-restart");
        assertThat(Files.readString(tree.resolve("var/log/dormant-firstboot.log"))).contains("end, 0 failed step(s)");
        assertThat(tree.resolve("etc/init.d/dormant-firstboot")).doesNotExist();
        assertThat(tree.resolve("etc/rc2.d/S99dormant-firstboot")).doesNotExist();
        assertThat(tree.resolve("etc/init.d/.depend.start")).as("the runner left the boot order as it found it").hasContent(order);
    }
}
