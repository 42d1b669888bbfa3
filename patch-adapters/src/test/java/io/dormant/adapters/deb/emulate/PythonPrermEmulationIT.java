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
 * The prerms of libpython3.11-minimal, libpython3.11-stdlib and python3.11, emulated, against the
 * real scripts on a copy of the service image whose Python library is byte-compiled at every
 * optimisation level (so that each glob matches several files), with a local empty
 * {@code __pycache__} under dist-packages (find prunes it), an empty one outside (removed), and an
 * empty file named {@code __pycache__} (only python3.11's find, without {@code -type d}, takes it).
 */
@TestInstance(Lifecycle.PER_CLASS)
class PythonPrermEmulationIT {

    private static final String PRUNED = "/usr/lib/python3/dist-packages/dormant_local/__pycache__";
    private static final String EMPTY = "/usr/lib/python3.11/dormant_empty/__pycache__";
    private static final String EMPTY_FILE = "/usr/lib/python3.11/dormant_file/__pycache__";

    private Path scratch;
    private Path lower;

    @BeforeAll
    void stage() throws Exception {
        scratch = EmulateFixture.scratch("pyprerm-it");
        lower = scratch.resolve("lower");
        run("cp", "-a", EmulateFixture.serviceImage().toString(), lower.toString());
        // Not every module is compiled by the postinst; compileall makes -O and -OO bytecode too.
        new ProcessBuilder("chroot", lower.toString(), "/usr/bin/python3.11", "-m", "compileall", "-q",
                "-o", "0", "-o", "1", "-o", "2", "/usr/lib/python3.11").inheritIO().start().waitFor();
        Files.createDirectories(lower.resolve(PRUNED.substring(1)));
        Files.createDirectories(lower.resolve(EMPTY.substring(1)));
        Files.createDirectories(lower.resolve(EMPTY_FILE.substring(1)).getParent());
        Files.createFile(lower.resolve(EMPTY_FILE.substring(1)));
    }

    @AfterAll
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void libpythonMinimalUpgrade() throws Exception {
        Map<String, String> effect = compare("libpython3.11-minimal", "libpython3.11-minimal:amd64", List.of("upgrade", "3.11.2-6+deb12u9"));
        assertThat(effect).containsEntry("/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", "absent")
                .containsEntry("/usr/lib/python3.11/__pycache__/os.cpython-311.opt-2.pyc", "absent")
                .containsEntry(EMPTY, "absent")
                .doesNotContainKeys(PRUNED, EMPTY_FILE);
    }

    @Test
    void libpythonStdlibUpgrade() throws Exception {
        Map<String, String> effect = compare("libpython3.11-stdlib", "libpython3.11-stdlib:amd64", List.of("upgrade", "3.11.2-6+deb12u9"));
        assertThat(effect).containsEntry("/usr/lib/python3.11/json/__pycache__", "absent")
                .containsEntry(EMPTY, "absent")
                .doesNotContainKeys(PRUNED, EMPTY_FILE);
    }

    @Test
    void python3Upgrade() throws Exception {
        Map<String, String> effect = compare("python3.11", "python3.11", List.of("upgrade", "3.11.2-6+deb12u9"));
        assertThat(effect).containsEntry(EMPTY, "absent").containsEntry(EMPTY_FILE, "absent").doesNotContainKey(PRUNED);
    }

    @Test
    void python3Remove() throws Exception {
        compare("python3.11", "python3.11", List.of("remove"));
    }

    /** rm -f fails on a directory, and set -e fails the script with it: left to the real script. */
    @Test
    void aDirectoryTheGlobMatchesIsNotEmulated() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("directory"));
        try (OverlayMount overlay = OverlayMount.mount(lower, dir)) {
            Files.createDirectories(overlay.merged().resolve("usr/lib/python3.11/__pycache__/os.cpython-311.d.pyc"));
            byte[] script = Files.readAllBytes(lower.resolve("var/lib/dpkg/info/libpython3.11-minimal:amd64.prerm"));
            ScriptEmulation emulation = new ScriptReader(new RootedFiles(overlay.merged())).read(script,
                    new ScriptCall("libpython3.11-minimal", "prerm", List.of("upgrade", "3.11.2-6+deb12u9")));
            assertThat(emulation.unknown()).isEqualTo("remove_bytecode libpython3.11-minimal:amd64: "
                    + "rm -f fails on the directory /usr/lib/python3.11/__pycache__/os.cpython-311.d.pyc");
        }
    }

    private static void run(String... command) throws Exception {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    /** Runs the call for real over one overlay of the staged copy and emulated over another; answers the (equal) effect. */
    private Map<String, String> compare(String packageName, String infoName, List<String> args) throws Exception {
        String path = "/var/lib/dpkg/info/" + infoName + ".prerm";
        byte[] script = Files.readAllBytes(lower.resolve(path.substring(1)));
        Path dir = Files.createDirectories(scratch.resolve(packageName + "-" + args.get(0)));
        try (OverlayMount real = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("emulated")))) {
            long start = System.nanoTime();
            ConfinedResult result = new ConfinedScript().run(real.merged(),
                    ScriptInvocation.of(packageName, "prerm", script, args).at(path).withArchitecture("amd64"));
            long confined = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.succeeded()).as(result.output()).isTrue();

            start = System.nanoTime();
            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(script, new ScriptCall(packageName, "prerm", args));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            long read = (System.nanoTime() - start) / 1_000_000;
            for (EmulatedAction action : emulation.actions()) {
                assertThat(action.kind()).isEqualTo("bytecode-cleanup");
                action.effect().perform(tree);
            }
            long emulatedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%s prerm %s: confined %d ms, emulated %d ms (%d read) (%s)%n", packageName, args, confined,
                    emulatedMillis, read, emulation.actions().get(0).description());

            Map<String, String> realEffect = EmulateFixture.effect(real);
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(realEffect);
            System.out.printf("  %d paths changed, all equal (%d __pycache__ directories)%n", realEffect.size(),
                    realEffect.keySet().stream().filter(p -> p.endsWith("/__pycache__")).count());
            return realEffect;
        }
    }
}
