package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.rootfs.RootedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * ca-certificates' postinst, emulated, against the real script on the real service image with the
 * real new package unpacked over it (its certificates, its update-ca-certificates, its postinst,
 * config and templates in /var/lib/dpkg/info): both runs start from the same staged copy, each over
 * its own overlay, and every path either changed is compared (type, mode, owner, content, target),
 * hash links and bundle included.
 */
@TestInstance(Lifecycle.PER_CLASS)
class CaCertificatesEmulationIT {

    private static final String POSTINST = "/var/lib/dpkg/info/ca-certificates.postinst";

    private Path scratch;
    private Path stage;

    @BeforeAll
    void stage() throws Exception {
        scratch = EmulateFixture.scratch("cacert-it");
        Path deb = CaCertificatesStage.newPackage();
        stage = CaCertificatesStage.unpacked(EmulateFixture.serviceImage(), deb, scratch.resolve("stage"));
    }

    @AfterAll
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void triggeredWithALocalCertificateAndADeselectedOne() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("configured"));
        Map<String, String> effect = compare(lower, "trigger", List.of("triggered", "update-ca-certificates"));
        assertThat(effect).containsKey("/etc/ssl/certs/ca-certificates.crt")
                .containsEntry("/etc/ssl/certs/ISRG_Root_X2.pem", "absent")
                .containsKey("/etc/ssl/certs/Dormant_Test_Root_=local=.pem")
                .containsKey("/etc/ssl/certs/My_Copy_of_ISRG_Root_X1.pem");
    }

    @Test
    void triggeredFresh() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("configured-fresh"));
        compare(lower, "fresh", List.of("triggered", "update-ca-certificates-fresh"));
    }

    /** configure runs debconf and rewrites the configuration from its answers: not emulated yet, so confined. */
    @Test
    void configureIsLeftToTheConfineTier() throws Exception {
        byte[] script = Files.readAllBytes(stage.resolve(POSTINST.substring(1)));
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(stage)).read(script,
                new ScriptCall("ca-certificates", "postinst", List.of("configure", "20230311+deb12u1")));
        assertThat(emulation.unknown()).isEqualTo("ca-certificates: configure (debconf) is not emulated yet");
    }

    /** Runs the call for real over one overlay of lower and emulated over another; answers the (equal) effect. */
    private Map<String, String> compare(Path lower, String name, List<String> args) throws Exception {
        byte[] script = Files.readAllBytes(lower.resolve(POSTINST.substring(1)));
        Path dir = Files.createDirectories(scratch.resolve(name));
        try (OverlayMount real = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("emulated")))) {
            long start = System.nanoTime();
            ConfinedResult result = new ConfinedScript().run(real.merged(),
                    ScriptInvocation.of("ca-certificates", "postinst", script, args).at(POSTINST).withArchitecture("all"));
            long confined = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.succeeded()).as(result.output()).isTrue();

            start = System.nanoTime();
            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(script, new ScriptCall("ca-certificates", "postinst", args));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction action : emulation.actions()) {
                action.effect().perform(tree);
            }
            long emulatedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("ca-certificates postinst %s: confined %d ms, emulated %d ms%n", args, confined, emulatedMillis);

            Map<String, String> realEffect = EmulateFixture.effect(real);
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(realEffect);
            System.out.printf("  %d paths changed, all equal (%d under /etc/ssl/certs)%n", realEffect.size(),
                    realEffect.keySet().stream().filter(p -> p.startsWith("/etc/ssl/certs/")).count());
            return realEffect;
        }
    }
}
