package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The script reader over the real maintainer scripts of the bookworm-security set of 2026-11-26
 * (copied from the packages), each called as {@code dpkg -i} calls it for that upgrade: which are
 * known through and through, and which must run confined and why.
 */
class ScriptReaderTest {

    @TempDir
    Path image;

    record Call(String file, List<String> args, boolean known) {
        @Override
        public String toString() {
            return file + " " + String.join(" ", args) + (known ? " is emulated" : " is not");
        }
    }

    static Stream<Call> upgradeCalls() {
        return Stream.of(
                new Call("apt.preinst", List.of("upgrade", "2.6.1"), true),
                new Call("apt.prerm", List.of("upgrade", "2.6.2"), true),
                new Call("apt.postrm", List.of("upgrade", "2.6.2"), true),
                new Call("apt.postinst", List.of("configure", "2.6.1"), false),
                new Call("bind9.preinst", List.of("upgrade", "1:9.18.49-1~deb12u1"), true),
                new Call("bind9.prerm", List.of("upgrade", "1:9.18.49-1~deb12u3"), true),
                new Call("bind9.postrm", List.of("upgrade", "1:9.18.49-1~deb12u3"), true),
                new Call("bind9.postinst", List.of("configure", "1:9.18.49-1~deb12u1"), false),
                new Call("perl-base.prerm", List.of("upgrade", "5.36.0-7+deb12u4"), true),
                new Call("perl-base.preinst", List.of("upgrade", "5.36.0-7+deb12u3"), true),
                new Call("perl-base.postrm", List.of("upgrade", "5.36.0-7+deb12u4"), true),
                new Call("perl-base.postinst", List.of("configure", "5.36.0-7+deb12u3"), true),
                new Call("perl.preinst", List.of("upgrade", "5.36.0-7+deb12u3"), true),
                new Call("perl.prerm", List.of("upgrade", "5.36.0-7+deb12u4"), true),
                new Call("perl.postrm", List.of("upgrade", "5.36.0-7+deb12u4"), true),
                new Call("perl.postinst", List.of("configure", "5.36.0-7+deb12u3"), true),
                new Call("rsyslog.preinst", List.of("upgrade", "8.2302.0-1+deb12u1"), true),
                new Call("rsyslog.prerm", List.of("upgrade", "8.2302.0-1+deb12u2"), true),
                new Call("rsyslog.postrm", List.of("upgrade", "8.2302.0-1+deb12u2"), true),
                new Call("tzdata.preinst", List.of("upgrade", "2026b-0+deb12u1"), true),
                new Call("tzdata.prerm", List.of("upgrade", "2026f-0+deb12u1"), true),
                new Call("tzdata.postrm", List.of("upgrade", "2026f-0+deb12u1"), true),
                new Call("tzdata.postinst", List.of("configure", "2026b-0+deb12u1"), false),
                new Call("ca-certificates.postrm", List.of("upgrade", "20250419~deb12u2"), true),
                new Call("ca-certificates.postinst", List.of("configure", "20230311+deb12u1"), false),
                new Call("python3.11-minimal.prerm", List.of("upgrade", "3.11.2-6+deb12u9"), true),
                new Call("python3.11-minimal.postrm", List.of("upgrade", "3.11.2-6+deb12u9"), true),
                new Call("libpython3.11-minimal.postrm", List.of("upgrade", "3.11.2-6+deb12u9"), true),
                new Call("python3.11.prerm", List.of("upgrade", "3.11.2-6+deb12u9"), false),
                new Call("apache2.preinst", List.of("upgrade", "2.4.68-1~deb12u1"), false),
                new Call("apache2.postinst", List.of("configure", "2.4.68-1~deb12u1"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upgradeCalls")
    void readsTheRealScriptsOfAnUpgrade(Call call) throws IOException {
        String name = call.file();
        ScriptCall scriptCall = new ScriptCall(name.substring(0, name.lastIndexOf('.')), name.substring(name.lastIndexOf('.') + 1),
                call.args());
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(image)).read(script(name), scriptCall);
        assertThat(emulation.isKnown()).as("%s: %s", call, emulation.unknown()).isEqualTo(call.known());
        if (call.known()) {
            assertThat(emulation.actions()).allSatisfy(a -> assertThat(a.kind()).isIn("maintscript-helper", "alternatives"));
        }
    }

    @Test
    void aHelperThatWouldActIsNotEmulated() throws IOException {
        // Upgrading from before the version the helper names: dpkg-maintscript-helper moves the conffile aside.
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(image))
                .read(script("perl.preinst"), new ScriptCall("perl", "preinst", List.of("upgrade", "5.24.1-3")));
        assertThat(emulation.isKnown()).isFalse();
        assertThat(emulation.unknown()).contains("dpkg-maintscript-helper rm_conffile /etc/perl/sitecustomize.pl");
    }

    @Test
    void aFreshInstallRunsTheGuardedBranches() throws IOException {
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(image))
                .read(script("rsyslog.preinst"), new ScriptCall("rsyslog", "preinst", List.of("install", "8.2302.0-1")));
        assertThat(emulation.isKnown()).isFalse();
        assertThat(emulation.unknown()).contains("mv -f /etc/logrotate.d/rsyslog.disabled");
    }

    @Test
    void tzdataDirectoryToSymlinkSwitchesAreNoOpsWithoutABackup() throws IOException {
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(image))
                .read(script("tzdata.postrm"), new ScriptCall("tzdata", "postrm", List.of("upgrade", "2026f-0+deb12u1")));
        assertThat(emulation.actions()).hasSize(16)
                .first().extracting(EmulatedAction::description).asString()
                .startsWith("dpkg-maintscript-helper dir_to_symlink /usr/share/zoneinfo/posix/Africa ../Africa 2022g-1~");
    }

    private static byte[] script(String name) throws IOException {
        try (InputStream in = ScriptReaderTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
