package io.dormant.adapters.confine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The cached Debian trees the confine ITs mount as lower dirs, and small helpers. */
final class ConfineFixture {

    private ConfineFixture() {
    }

    /** bookworm minbase: no systemd, no services. */
    static Path minbase() {
        return tree("DORMANT_TEST_ROOTFS", "/var/cache/dormant-test/bookworm-minbase");
    }

    /** bookworm with systemd, openssh-server, cron and apache2 installed. */
    static Path serviceImage() {
        return tree("DORMANT_TEST_SERVICE_ROOTFS", "/var/cache/dormant-test/bookworm-service-v1");
    }

    static void assumeSandboxTools() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap at /usr/bin/bwrap");
    }

    static ScriptInvocation script(String text) {
        return ScriptInvocation.of("dormant-test", "postinst", text.getBytes(StandardCharsets.UTF_8),
                List.of("configure", "1.0-1"));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** An overlay of {@code lower} in a scratch dir of its own, which close unmounts and removes. */
    record MountedImage(Path scratch, OverlayMount overlay) implements AutoCloseable {

        static MountedImage of(Path lower) throws Exception {
            Path scratch = Files.createTempDirectory(Path.of("/var/tmp"), "confine-it");
            try {
                return new MountedImage(scratch, OverlayMount.mount(lower, scratch));
            } catch (Exception e) {
                removeScratch(scratch);
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            try {
                overlay.close();
            } finally {
                removeScratch(scratch);
            }
        }
    }

    static void removeScratch(Path scratch) throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    private static Path tree(String variable, String fallback) {
        String configured = System.getenv(variable);
        Path tree = Path.of(configured != null ? configured : fallback);
        Assumptions.assumeTrue(Files.isDirectory(tree.resolve("etc")), "no Debian tree at " + tree);
        return tree;
    }
}
