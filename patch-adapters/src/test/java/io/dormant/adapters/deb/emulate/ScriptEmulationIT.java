package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayChange;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap at /usr/bin/bwrap");
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "emulate-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    static Stream<ScriptReaderTest.Call> emulatedCalls() {
        return ScriptReaderTest.upgradeCalls().filter(ScriptReaderTest.Call::known);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emulatedCalls")
    void theEmulationLeavesTheTreeTheRealScriptLeaves(ScriptReaderTest.Call call) throws Exception {
        Path image = serviceImage();
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
            assertThat(result.deferred()).isEmpty();

            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(bytes, new ScriptCall(pkg, script, call.args()));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction action : emulation.actions()) {
                action.effect().perform(tree);
            }

            assertThat(effect(emulated)).isEqualTo(effect(real));
        }
    }

    /** What a run changed for real: every changed path whose type, mode, owner, content or target differs from the image. */
    private static Map<String, String> effect(OverlayMount overlay) throws Exception {
        Map<String, String> changed = new TreeMap<>();
        for (OverlayChange change : overlay.changes()) {
            String before = describe(overlay.lower().resolve(change.path().substring(1)));
            String after = describe(overlay.merged().resolve(change.path().substring(1)));
            if (!before.equals(after)) {
                changed.put(change.path(), after);
            }
        }
        return changed;
    }

    private static String describe(Path path) throws Exception {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return "absent";
        }
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        String owner = Integer.toOctalString((Integer) unix.get("mode")) + " " + unix.get("uid") + ":" + unix.get("gid");
        if (Files.isSymbolicLink(path)) {
            return owner + " -> " + Files.readSymbolicLink(path);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return owner + " dir";
        }
        return owner + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }

    private static Path serviceImage() {
        String configured = System.getenv("DORMANT_TEST_SERVICE_IMAGE");
        Path tree = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-service-v1");
        Assumptions.assumeTrue(Files.isDirectory(tree.resolve("etc")), "no Debian tree at " + tree);
        return tree;
    }
}
