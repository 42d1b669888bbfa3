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
 * dh_python3's prerm ({@code py3clean -p PKG}) emulated, against the real py3clean on a copy of the
 * service image where a Python module package was installed by dpkg (its postinst byte-compiled
 * it) and then compiled at every optimisation level, with a classic {@code .pyc} beside a source, a
 * hidden file that keeps one {@code __pycache__}, and another package's bytecode that keeps another.
 */
@TestInstance(Lifecycle.PER_CLASS)
class Py3cleanPrermEmulationIT {

    private static final String PACKAGE = PythonModulePackage.NAME;
    private static final String SITE = PythonModulePackage.SITE;

    private Path scratch;
    private Path lower;

    @BeforeAll
    void installAModulePackage() throws Exception {
        scratch = EmulateFixture.scratch("py3clean-it");
        lower = scratch.resolve("lower");
        run("cp", "-a", EmulateFixture.serviceImage().toString(), lower.toString());
        PythonModulePackage.install(lower, scratch.resolve("build"));
        run("chroot", lower.toString(), "/usr/bin/python3", "-m", "compileall", "-q", "-o", "0", "-o", "1", "-o", "2",
                SITE + "/dormant_probe", SITE + "/dormant_lone.py");
        Files.writeString(lower.resolve(SITE.substring(1) + "/dormant_probe/mod.pyc"), "classic");
        Files.writeString(lower.resolve(SITE.substring(1) + "/dormant_probe/sub/__pycache__/.keep"), "");
        Files.writeString(lower.resolve(SITE.substring(1) + "/__pycache__/foreign.cpython-311.pyc"), "another package's");
    }

    @AfterAll
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void upgradeRemovesThePackagesBytecodeAndTheCachesItEmptied() throws Exception {
        Map<String, String> effect = compare(List.of("upgrade", "1.1"));
        assertThat(effect)
                .containsEntry(SITE + "/dormant_probe/__pycache__", "absent")
                .containsEntry(SITE + "/dormant_probe/mod.pyc", "absent")
                .containsEntry(SITE + "/dormant_probe/sub/__pycache__/deep.cpython-311.opt-2.pyc", "absent")
                .containsEntry(SITE + "/__pycache__/dormant_lone.cpython-311.pyc", "absent")
                .doesNotContainKeys(SITE + "/dormant_probe/sub/__pycache__", SITE + "/__pycache__",
                        SITE + "/__pycache__/foreign.cpython-311.pyc");
    }

    @Test
    void anArchitectureQualifiedPackageNameReadsTheSameList() throws Exception {
        byte[] script = PythonModulePackage.prerm(PACKAGE + ":amd64").getBytes();
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(lower)).read(script,
                new ScriptCall(PACKAGE, "prerm", List.of("upgrade", "1.1")));
        assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
        assertThat(emulation.actions()).singleElement().extracting(EmulatedAction::description).asString()
                .startsWith("py3clean -p " + PACKAGE + ":amd64: ");
    }

    /** py3clean logs "cannot remove" for a directory its glob matches: left to the real tool. */
    @Test
    void aDirectoryTheGlobMatchesIsNotEmulated() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("directory"));
        try (OverlayMount overlay = OverlayMount.mount(lower, dir)) {
            Files.createDirectories(overlay.merged().resolve(SITE.substring(1) + "/dormant_probe/__pycache__/mod.odd"));
            ScriptEmulation emulation = new ScriptReader(new RootedFiles(overlay.merged())).read(PythonModulePackage.prerm(PACKAGE).getBytes(),
                    new ScriptCall(PACKAGE, "prerm", List.of("upgrade", "1.1")));
            assertThat(emulation.unknown()).isEqualTo("py3clean -p " + PACKAGE + ": " + SITE
                    + "/dormant_probe/__pycache__/mod.odd: py3clean cannot remove it");
        }
    }

    /** Another prerm around the same line is not dh_python3's alone: confined as before. */
    @Test
    void aScriptWithMoreThanTheSnippetIsNotTakenAsAWhole() throws Exception {
        String script = PythonModulePackage.prerm(PACKAGE).replace("# End automatically added section", "rm -f /etc/dormant-probe.conf");
        assertThat(io.dormant.adapters.deb.python.Py3cleanPrerm.emulation(new RootedFiles(lower), script.getBytes(),
                new ScriptCall(PACKAGE, "prerm", List.of("upgrade", "1.1")))).isEmpty();
    }

    private static void run(String... command) throws Exception {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    /** Runs the prerm for real over one overlay of the staged copy and emulated over another; answers the (equal) effect. */
    private Map<String, String> compare(List<String> args) throws Exception {
        String path = "/var/lib/dpkg/info/" + PACKAGE + ".prerm";
        byte[] script = Files.readAllBytes(lower.resolve(path.substring(1)));
        Path dir = Files.createDirectories(scratch.resolve("compare-" + args.get(0)));
        try (OverlayMount real = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("emulated")))) {
            long start = System.nanoTime();
            ConfinedResult result = new ConfinedScript().run(real.merged(),
                    ScriptInvocation.of(PACKAGE, "prerm", script, args).at(path).withArchitecture("amd64"));
            long confined = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.succeeded()).as(result.output()).isTrue();
            assertThat(result.output()).isEmpty();

            start = System.nanoTime();
            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(script, new ScriptCall(PACKAGE, "prerm", args));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction action : emulation.actions()) {
                assertThat(action.kind()).isEqualTo("bytecode-cleanup");
                action.effect().perform(tree);
            }
            long emulatedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%s prerm %s: confined %d ms, emulated %d ms (%s)%n", PACKAGE, args, confined,
                    emulatedMillis, emulation.actions().get(0).description());

            Map<String, String> realEffect = EmulateFixture.effect(real);
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(realEffect);
            return realEffect;
        }
    }
}
