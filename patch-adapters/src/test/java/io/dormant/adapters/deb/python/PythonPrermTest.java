package io.dormant.adapters.deb.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.deb.emulate.ScriptCall;
import io.dormant.adapters.deb.emulate.ScriptEmulation;
import io.dormant.adapters.deb.emulate.ScriptReader;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python prerms of bookworm (copied from python3.11 3.11.2-6+deb12u9) recognised with their
 * version and architecture replaced, and the cases the emulation leaves to the real script.
 * {@code PythonPrermEmulationIT} compares the effect with the real scripts'.
 */
class PythonPrermTest {

    @TempDir
    Path image;

    @Test
    void anotherVersionAndArchitectureOfTheSameScriptIsEmulated() throws IOException {
        String script = script("libpython3.11-stdlib.prerm").replace("3.11", "3.13").replace(":amd64", ":arm64");
        list("libpython3.13-stdlib:arm64", "/.", "/usr/lib/python3.13", "/usr/lib/python3.13/json/decoder.py",
                "/usr/lib/python3.13/json/decoder.pyi");
        file("/usr/lib/python3.13/json/__pycache__/decoder.cpython-313.pyc");
        file("/usr/lib/python3.13/json/__pycache__/decoder.cpython-313.opt-1.pyc");
        file("/usr/lib/python3.13/__pycache__/__phello__.cpython-313.pyc");
        file("/usr/lib/python3.13/json/__pycache__/decoders.cpython-313.pyc");
        Files.createDirectories(image.resolve("usr/lib/python3/dist-packages/x/__pycache__"));

        ScriptEmulation emulation = read(script, "libpython3.13-stdlib", "upgrade");

        assertThat(emulation.unknown()).isNull();
        assertThat(emulation.actions()).extracting(EmulatedAction::description).containsExactly(
                "remove_bytecode libpython3.13-stdlib:arm64: 3 bytecode files, 1 empty __pycache__");
        emulation.actions().get(0).effect().perform(new RootedFiles(image));
        assertThat(image.resolve("usr/lib/python3.13/json/__pycache__")).isDirectoryContaining(
                p -> p.getFileName().toString().equals("decoders.cpython-313.pyc"));
        // Emptied by the removal of __phello__'s bytecode, so find removes it; dist-packages is pruned.
        assertThat(image.resolve("usr/lib/python3.13/__pycache__")).doesNotExist();
        assertThat(image.resolve("usr/lib/python3/dist-packages/x/__pycache__")).isEmptyDirectory();
    }

    @Test
    void python3CleansTheStdlibListOnRemoveToo() throws IOException {
        list("libpython3.11-stdlib:amd64", "/usr/lib/python3.11/json/decoder.py");
        file("/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc");
        Files.createDirectories(image.resolve("usr/lib/python3.11/empty/__pycache__"));

        ScriptEmulation emulation = read(script("python3.11.prerm"), "python3.11", "remove");

        assertThat(emulation.actions()).extracting(EmulatedAction::description).containsExactly(
                "remove_bytecode libpython3.11-stdlib:amd64: 1 bytecode files, 2 empty __pycache__");
    }

    @Test
    void aChangedScriptIsNotRecognised() throws IOException {
        String script = script("libpython3.11-minimal.prerm").replace("-name dist-packages -prune", "-name site-packages -prune");
        list("libpython3.11-minimal:amd64", "/usr/lib/python3.11/os.py");

        // The generic reader takes it, and stops at the call of the function.
        assertThat(read(script, "libpython3.11-minimal", "upgrade").unknown())
                .isEqualTo("a command outside the action catalogue: remove_bytecode libpython3.11-minimal:amd64");
    }

    @Test
    void namesTheShellWouldSplitAndDiversionsAreLeftToTheScript() throws IOException {
        list("libpython3.11-minimal:amd64", "/usr/lib/python3.11/my module.py");
        assertThat(read(script("libpython3.11-minimal.prerm"), "libpython3.11-minimal", "upgrade").unknown())
                .isEqualTo("remove_bytecode libpython3.11-minimal:amd64: /usr/lib/python3.11/my module.py: "
                        + "a name that xargs, read or the shell would change");

        list("libpython3.11-minimal:amd64", "/usr/lib/python3.11/os.py");
        file("/var/lib/dpkg/diversions", "/usr/lib/python3.11/os.py\n/usr/lib/python3.11/os.py.real\nlocal-tweaks\n");
        assertThat(read(script("libpython3.11-minimal.prerm"), "libpython3.11-minimal", "upgrade").unknown())
                .isEqualTo("remove_bytecode libpython3.11-minimal:amd64: a diversion of /usr/lib/python3.11/os.py adds lines to dpkg -L");
    }

    @Test
    void removeOfTheLibrariesCountsInstancesAndIsLeftToTheScript() throws IOException {
        assertThat(read(script("libpython3.11-minimal.prerm"), "libpython3.11-minimal", "remove").unknown())
                .contains("dpkg-query");
        assertThat(read(script("libpython3.11-stdlib.prerm"), "libpython3.11-stdlib", "failed-upgrade").isKnown()).isTrue();
    }

    private ScriptEmulation read(String script, String packageName, String action) throws IOException {
        return new ScriptReader(new RootedFiles(image)).read(script.getBytes(StandardCharsets.UTF_8),
                new ScriptCall(packageName, "prerm", List.of(action)));
    }

    private void list(String pkg, String... lines) throws IOException {
        file("/var/lib/dpkg/info/" + pkg + ".list", String.join("\n", lines) + "\n");
    }

    private void file(String path) throws IOException {
        file(path, "");
    }

    private void file(String path, String content) throws IOException {
        Path host = image.resolve(path.substring(1));
        Files.createDirectories(host.getParent());
        Files.writeString(host, content);
    }

    private static String script(String name) throws IOException {
        try (InputStream in = PythonPrermTest.class.getResourceAsStream("/io/dormant/adapters/deb/emulate/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
