package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.RecordedCommand;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each emulated script of the real update set against the real thing: the script run confined
 * over one overlay of the service image (its own {@code dpkg-maintscript-helper}, its own shell),
 * the emulation performed over another, and the two trees compared path by path (type, mode,
 * owner, content, link target) wherever either side changed anything.
 */
class ScriptEmulationIT {

    private Path scratch;

    @BeforeEach
    void scratch() throws Exception {
        scratch = EmulateFixture.scratch("emulate-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    /**
     * The calls the reader knows without an image, and those it knows from what the service image
     * holds: apt's postinst (the _apt user exists; its timers were enabled by deb-systemd-helper,
     * which now adds what is missing; its restart is deferred), rsyslog's (chmod, the same, and its
     * trigger's invoke-rc.d), perl's (no alternatives for rename), openssl's (/usr/lib/ssl exists), and
     * the Python prerms (the file lists of libpython3.11-minimal and -stdlib, the bytecode of the image).
     */
    static Stream<ScriptReaderTest.Call> emulatedCalls() {
        return Stream.concat(ScriptReaderTest.upgradeCalls().filter(ScriptReaderTest.Call::known),
                Stream.of(new ScriptReaderTest.Call("apt.postinst", List.of("configure", "2.6.1"), true),
                        new ScriptReaderTest.Call("rsyslog.postinst", List.of("configure", "8.2302.0-1+deb12u1"), true),
                        new ScriptReaderTest.Call("rsyslog.postinst", List.of("triggered", "/etc/rsyslog.d"), true),
                        new ScriptReaderTest.Call("perl.postinst", List.of("configure", "5.36.0-7+deb12u3"), true),
                        new ScriptReaderTest.Call("openssl.postinst", List.of("configure", "3.0.20-1~deb12u2"), true),
                        new ScriptReaderTest.Call("libpython3.11-minimal.prerm", List.of("upgrade", "3.11.2-6+deb12u9"), true),
                        new ScriptReaderTest.Call("libpython3.11-stdlib.prerm", List.of("upgrade", "3.11.2-6+deb12u9"), true),
                        new ScriptReaderTest.Call("python3.11.prerm", List.of("upgrade", "3.11.2-6+deb12u9"), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emulatedCalls")
    void theEmulationLeavesTheTreeTheRealScriptLeaves(ScriptReaderTest.Call call) throws Exception {
        Path image = EmulateFixture.serviceImage();
        String name = call.file();
        String pkg = name.substring(0, name.lastIndexOf('.'));
        String script = name.substring(name.lastIndexOf('.') + 1);
        byte[] bytes;
        try (InputStream in = ScriptReaderTest.class.getResourceAsStream(name)) {
            bytes = in.readAllBytes();
        }
        try (OverlayMount real = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("emulated")))) {
            ConfinedResult result = new ConfinedScript().run(real.merged(), ScriptInvocation.of(pkg, script, bytes, call.args()));
            assertThat(result.succeeded()).as(result.output()).isTrue();

            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(bytes, new ScriptCall(pkg, script, call.args()));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction action : emulation.actions()) {
                action.effect().perform(tree);
            }

            assertThat(EmulateFixture.effect(emulated)).isEqualTo(EmulateFixture.effect(real));
            assertThat(emulation.actions().stream().filter(EmulatedAction::isProcessStart).map(EmulatedAction::description))
                    .containsExactlyElementsOf(result.deferred().stream().map(RecordedCommand::shellLine).toList());
        }
    }
}
