package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.deb.python.ByteCompileCache;
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
import org.junit.jupiter.api.Test;

/**
 * The service image's real python3.11-minimal postinst, its bytecode removed first as the prerm
 * does: run as dpkg runs it, and rewritten with the byte-compile cache, once to fill the cache and
 * once from it. Every {@code .pyc} and {@code __pycache__} must come out the same in all three
 * runs: bytes, mode and owner.
 */
class ByteCompileCacheIT {

    private static final String LIBRARY = "/usr/lib/python3.11";
    private static final String SCRIPT = "/var/lib/dpkg/info/python3.11-minimal.postinst";

    private Path scratch;
    private Path image;

    @BeforeEach
    void scratch() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap at /usr/bin/bwrap");
        String configured = System.getenv("DORMANT_TEST_SERVICE_IMAGE");
        image = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-service-v1");
        Assumptions.assumeTrue(Files.isRegularFile(image.resolve(SCRIPT.substring(1))), "no python3.11-minimal in " + image);
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "pyc-cache-it");
    }

    @AfterEach
    void remove() throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void bytecodeFromTheCacheIsWhatTheInterpreterWrites() throws Exception {
        Path cache = scratch.resolve("cache");
        byte[] script = Files.readAllBytes(image.resolve(SCRIPT.substring(1)));
        byte[] rewritten = ByteCompileSplit.rewrite(script, 2);
        assertThat(rewritten).isNotNull();
        ConfinedScript cached = new ConfinedScript().answering(new ByteCompileCache(cache));

        Map<String, String> byDpkg;
        Map<String, String> filling;
        Map<String, String> fromCache;
        List<String> fillNotes;
        List<String> hitNotes;
        try (OverlayMount overlay = OverlayMount.mount(image, scratch.resolve("dpkg"))) {
            byDpkg = run(new ConfinedScript(), overlay.merged(), script).getValue();
        }
        try (OverlayMount overlay = OverlayMount.mount(image, scratch.resolve("fill"))) {
            var run = run(cached, overlay.merged(), rewritten);
            filling = run.getValue();
            fillNotes = run.getKey().helperCalls();
        }
        try (OverlayMount overlay = OverlayMount.mount(image, scratch.resolve("hit"))) {
            var run = run(cached, overlay.merged(), rewritten);
            fromCache = run.getValue();
            hitNotes = run.getKey().helperCalls();
        }

        assertThat(byDpkg).hasSizeGreaterThan(100);
        assertThat(differences(filling, byDpkg)).as("filling the cache against dpkg's run").isEmpty();
        assertThat(differences(fromCache, byDpkg)).as("from the cache against dpkg's run").isEmpty();
        assertThat(fillNotes).anyMatch(n -> n.startsWith("byte-compilation: 0 of "))
                .anyMatch(n -> n.matches("byte-compilation: [1-9][0-9]* new \\.pyc files remembered.*"));
        // Every listed file came from the cache (the interpreter still ran once, for its imports).
        assertThat(hitNotes).anyMatch(n -> n.matches("byte-compilation: ([1-9][0-9]*) of \\1 \\.pyc files from the cache.*"));
    }

    /** Removes the library's bytecode, runs the postinst, and describes every __pycache__ and .pyc after. */
    private static Map.Entry<ConfinedResult, Map<String, String>> run(ConfinedScript confined, Path tree, byte[] script)
            throws Exception {
        Path library = tree.resolve(LIBRARY.substring(1));
        try (Stream<Path> walk = Files.walk(library)) {
            for (Path cacheDir : walk.filter(p -> p.getFileName().toString().equals("__pycache__")).toList()) {
                new ProcessBuilder("rm", "-rf", cacheDir.toString()).start().waitFor();
            }
        }
        String version = installedVersion(tree);
        ConfinedResult result = confined.run(tree, ScriptInvocation.of("python3.11-minimal", "postinst", script,
                List.of("configure", version)).at(SCRIPT));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, String> described = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(library)) {
            for (Path path : walk.toList()) {
                String name = path.getFileName().toString();
                if (name.equals("__pycache__") || name.endsWith(".pyc")) {
                    described.put(tree.relativize(path).toString(), describe(path));
                }
            }
        }
        return Map.entry(result, described);
    }

    /** Each path whose description differs, with both ("absent" where one lacks it). */
    private static Map<String, String> differences(Map<String, String> actual, Map<String, String> expected) {
        Map<String, String> out = new TreeMap<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(actual.keySet());
        paths.addAll(expected.keySet());
        for (String path : paths) {
            String a = actual.getOrDefault(path, "absent");
            String e = expected.getOrDefault(path, "absent");
            if (!a.equals(e)) {
                out.put(path, a + " | expected " + e);
            }
        }
        return out;
    }

    private static String installedVersion(Path tree) throws Exception {
        String status = Files.readString(tree.resolve("var/lib/dpkg/status"));
        int at = status.indexOf("Package: python3.11-minimal\n");
        int version = status.indexOf("\nVersion: ", at);
        return status.substring(version + "\nVersion: ".length(), status.indexOf('\n', version + 1));
    }

    private static String describe(Path path) throws Exception {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        String owner = Integer.toOctalString((Integer) unix.get("mode")) + " " + unix.get("uid") + ":" + unix.get("gid");
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? owner + " dir"
                : owner + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }
}
