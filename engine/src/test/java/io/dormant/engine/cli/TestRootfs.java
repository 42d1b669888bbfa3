package io.dormant.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The debootstrapped Debian tree that bin/test builds; a test that needs it is skipped without it. */
final class TestRootfs {

    private TestRootfs() {
    }

    static Path debian() {
        String configured = System.getenv("DORMANT_TEST_ROOTFS");
        Path rootfs = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-minbase");
        Assumptions.assumeTrue(Files.isDirectory(rootfs.resolve("var/lib/dpkg")), "no Debian tree at " + rootfs);
        return rootfs;
    }
}
