package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.deb.emulate.PythonModulePackage;
import io.dormant.adapters.deb.python.ByteCompileCache;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Python module package's postinst ({@code py3compile -p PKG}) on a copy of the service image
 * where dpkg installed the package, its bytecode removed first as its prerm does: run as dpkg runs
 * it, and with the cache around py3compile, once to fill the cache and once from it. Every .pyc
 * and __pycache__ of the package and of the interpreter's library must come out the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Py3compileCacheIT {

    private Path scratch;
    private Path lower;

    @BeforeAll
    void installAModulePackage() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        String configured = System.getenv("DORMANT_TEST_SERVICE_IMAGE");
        Path image = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-service-v1");
        Assumptions.assumeTrue(Files.isExecutable(image.resolve("usr/bin/py3compile")), "no py3compile in " + image);
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "py3compile-cache-it");
        lower = scratch.resolve("lower");
        assertThat(new ProcessBuilder("cp", "-a", image.toString(), lower.toString()).inheritIO().start().waitFor()).isZero();
        PythonModulePackage.install(lower, scratch.resolve("build"));
    }

    @AfterAll
    void remove() throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void bytecodeFromTheCacheIsWhatPy3compileWrites() throws Exception {
        byte[] script = Files.readAllBytes(lower.resolve(PythonModulePackage.POSTINST.substring(1)));
        byte[] rewritten = Py3compileCalls.rewrite(script);
        assertThat(rewritten).isNotNull();
        ConfinedScript cached = new ConfinedScript().answering(new ByteCompileCache(scratch.resolve("cache")));

        Map<String, String> byDpkg = run(new ConfinedScript(), "dpkg", script).getValue();
        var filling = run(cached, "fill", rewritten);
        Path entries = scratch.resolve("cache");
        for (File entry : entries.toFile().listFiles()) {
            Files.setLastModifiedTime(entry.toPath(), FileTime.fromMillis(0));
        }
        var fromCache = run(cached, "hit", rewritten);

        assertThat(byDpkg.keySet()).contains("usr/lib/python3/dist-packages/dormant_probe/sub/__pycache__/deep.cpython-311.pyc",
                "usr/lib/python3/dist-packages/__pycache__/dormant_lone.cpython-311.pyc");
        assertThat(filling.getValue()).as("filling the cache").isEqualTo(byDpkg);
        assertThat(fromCache.getValue()).as("from the cache").isEqualTo(byDpkg);
        assertThat(filling.getKey().helperCalls()).anyMatch(n -> n.startsWith("byte-compilation: 0 of 5 "))
                .anyMatch(n -> n.equals("byte-compilation: 5 new .pyc files remembered for later applies"));
        assertThat(fromCache.getKey().helperCalls())
                .anyMatch(n -> n.equals("byte-compilation: 5 of 5 .pyc files of py3compile -p " + PythonModulePackage.NAME
                        + " from the cache of earlier applies"));
        assertThat(entries.toFile().listFiles()).as("entries a hit marked used").hasSize(5)
                .allMatch(entry -> entry.lastModified() > 0);
    }

    @Test
    void aCacheOverItsLimitKeepsNoMoreThanItMay() throws Exception {
        byte[] rewritten = Py3compileCalls.rewrite(Files.readAllBytes(lower.resolve(PythonModulePackage.POSTINST.substring(1))));
        Path entries = scratch.resolve("small-cache");
        ConfinedScript cached = new ConfinedScript().answering(new ByteCompileCache(entries, 1));

        var filling = run(cached, "fill-small", rewritten);

        assertThat(filling.getKey().helperCalls())
                .anyMatch(n -> n.equals("byte-compilation: 5 new .pyc files remembered for later applies"));
        assertThat(entries.toFile().list()).as("entries left over a one-byte limit").isEmpty();
    }

    /** Removes the package's bytecode as its prerm does, runs the postinst, describes every .pyc and __pycache__ after. */
    private Map.Entry<ConfinedResult, Map<String, String>> run(ConfinedScript confined, String name, byte[] script)
            throws Exception {
        try (OverlayMount overlay = OverlayMount.mount(lower, scratch.resolve(name))) {
            Path tree = overlay.merged();
            Path site = tree.resolve(PythonModulePackage.SITE.substring(1));
            for (String cache : List.of("dormant_probe/__pycache__", "dormant_probe/sub/__pycache__")) {
                new ProcessBuilder("rm", "-rf", site.resolve(cache).toString()).start().waitFor();
            }
            Files.delete(site.resolve("__pycache__/dormant_lone.cpython-311.pyc"));
            ConfinedResult result = confined.run(tree, ScriptInvocation.of(PythonModulePackage.NAME, "postinst", script,
                    List.of("configure", "1.0")).at(PythonModulePackage.POSTINST));
            assertThat(result.exitCode()).as(result.output()).isZero();
            Map<String, String> described = new TreeMap<>();
            for (String dir : List.of(PythonModulePackage.SITE, "/usr/lib/python3.11")) {
                try (Stream<Path> walk = Files.walk(tree.resolve(dir.substring(1)))) {
                    for (Path path : walk.toList()) {
                        String fileName = path.getFileName().toString();
                        if (fileName.equals("__pycache__") || fileName.endsWith(".pyc")) {
                            described.put(tree.relativize(path).toString(), describe(path));
                        }
                    }
                }
            }
            return Map.entry(result, described);
        }
    }

    private static String describe(Path path) throws Exception {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        String owner = Integer.toOctalString((Integer) unix.get("mode")) + " " + unix.get("uid") + ":" + unix.get("gid");
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? owner + " dir"
                : owner + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }
}
