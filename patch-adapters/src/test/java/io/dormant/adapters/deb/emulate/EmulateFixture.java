package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.confine.OverlayChange;
import io.dormant.adapters.confine.OverlayMount;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/** The service image, scratch directories, and the comparison of what two runs did to overlays of it. */
final class EmulateFixture {

    private EmulateFixture() {
    }

    static Path scratch(String prefix) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap at /usr/bin/bwrap");
        return Files.createTempDirectory(Path.of("/var/tmp"), prefix);
    }

    static void remove(Path scratch) throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    /** What a run changed for real: every changed path whose type, mode, owner, content or target differs from the image. */
    static Map<String, String> effect(OverlayMount overlay) throws Exception {
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

    static Path serviceImage() {
        String configured = System.getenv("DORMANT_TEST_SERVICE_IMAGE");
        Path tree = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-service-v1");
        Assumptions.assumeTrue(Files.isDirectory(tree.resolve("etc")), "no Debian tree at " + tree);
        return tree;
    }
}
