package io.dormant.adapters.confine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfineSandboxCommandTest {

    private static final ScriptInvocation POSTINST = ScriptInvocation.of("openssh-server", "postinst",
            "#!/bin/sh\nset -e\n".getBytes(StandardCharsets.UTF_8), List.of("configure", "1:9.2p1-2"));

    @Test
    void theImageIsRootAndEverythingSharedWithTheHostIsUnshared() {
        List<String> args = SandboxCommand.arguments(Path.of("/usr/bin/bwrap"), Path.of("/scratch/merged"), List.of(),
                POSTINST, true, false);

        assertThat(args.subList(0, 4)).containsExactly("/usr/bin/bwrap", "--bind", "/scratch/merged", "/");
        assertThat(String.join(" ", args)).contains("--proc /proc", "--dev /dev", "--tmpfs /tmp", "--tmpfs /run",
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--die-with-parent",
                "--cap-drop ALL");
        assertThat(args).doesNotContain("CAP_SYS_ADMIN", "CAP_MKNOD", "CAP_DAC_READ_SEARCH", "--share-net");
        assertThat(args.subList(args.size() - 3, args.size()))
                .containsExactly("/run/dormant/confine/openssh-server.postinst", "configure", "1:9.2p1-2");
    }

    @Test
    void bindsComeAfterTheRootAndTheTmpfsOfRunSoTheyAreNotHidden() {
        List<String> args = SandboxCommand.arguments(Path.of("/usr/bin/bwrap"), Path.of("/m"), List.of(
                SandboxBind.readOnly(Path.of("/s/shims/systemctl"), "/usr/bin/systemctl"),
                SandboxBind.writable(Path.of("/s/deferred"), "/run/dormant/deferred")), POSTINST, true, false);

        int shim = Collections.indexOfSubList(args, List.of("--ro-bind", "/s/shims/systemctl", "/usr/bin/systemctl"));
        int record = Collections.indexOfSubList(args, List.of("--bind", "/s/deferred", "/run/dormant/deferred"));
        int run = Collections.indexOfSubList(args, List.of("--tmpfs", "/run"));
        assertThat(shim).isGreaterThan(run);
        assertThat(record).isGreaterThan(run);
    }

    @Test
    void anImageThatBootsSystemdSeesItRunning() {
        List<String> args = SandboxCommand.arguments(Path.of("/usr/bin/bwrap"), Path.of("/m"), List.of(), POSTINST, true, true);
        List<String> without = SandboxCommand.arguments(Path.of("/usr/bin/bwrap"), Path.of("/m"), List.of(), POSTINST, true, false);

        assertThat(Collections.indexOfSubList(args, List.of("--dir", "/run/systemd/system")))
                .isGreaterThan(Collections.indexOfSubList(args, List.of("--tmpfs", "/run")));
        assertThat(without).doesNotContain("/run/systemd/system");
    }

    @Test
    void aScriptWithoutAnInterpreterLineRunsUnderShMinusE() {
        List<String> args = SandboxCommand.arguments(Path.of("/usr/bin/bwrap"), Path.of("/m"), List.of(), POSTINST, false, false);

        assertThat(args.subList(args.size() - 5, args.size())).containsExactly("/bin/sh", "-e",
                "/run/dormant/confine/openssh-server.postinst", "configure", "1:9.2p1-2");
    }

    @Test
    void theEnvironmentIsDpkgsAndNothingElse() {
        assertThat(SandboxCommand.environment(POSTINST.withArchitecture("arm64").withDpkgVersion("1.21.23")))
                .containsOnlyKeys("PATH", "LANG", "DEBIAN_FRONTEND", "DPKG_MAINTSCRIPT_NAME", "DPKG_MAINTSCRIPT_PACKAGE",
                        "DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT", "DPKG_MAINTSCRIPT_ARCH", "DPKG_RUNNING_VERSION", "DPKG_ROOT",
                        "DPKG_ADMINDIR")
                .containsEntry("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .containsEntry("DEBIAN_FRONTEND", "noninteractive")
                .containsEntry("DPKG_MAINTSCRIPT_NAME", "postinst")
                .containsEntry("DPKG_MAINTSCRIPT_PACKAGE", "openssh-server")
                .containsEntry("DPKG_MAINTSCRIPT_ARCH", "arm64")
                .containsEntry("DPKG_RUNNING_VERSION", "1.21.23")
                .containsEntry("DPKG_ROOT", "")
                .containsEntry("DPKG_ADMINDIR", "/var/lib/dpkg");
    }

    @Test
    void namesThatCouldLeaveTheScriptDirectoryAreRefused() {
        byte[] script = new byte[0];
        assertThatThrownBy(() -> ScriptInvocation.of("../etc", "postinst", script, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc");
        assertThatThrownBy(() -> ScriptInvocation.of("foo", "post/inst", script, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptInvocation.of("foo", "postinst", script, List.of()).withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
