package io.dormant.adapters.deb.php;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** A fidelity fixture image with PHP (Debian 13's, or bookworm's "third"), for comparing the emulations with PHP's own scripts. */
final class PhpFixture {

    private PhpFixture() {
    }

    /** The first fixture image that has {@code command}; the test is skipped without one, or without root and bubblewrap. */
    static Path imageWith(String command) {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "overlay mounts need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap at /usr/bin/bwrap");
        Path image = Stream.of(System.getenv("DORMANT_TEST_SERVICE_IMAGE_6"), System.getenv("DORMANT_TEST_SERVICE_IMAGE_3"),
                        "/var/cache/dormant-test/trixie-service-v1", "/var/cache/dormant-test/bookworm-third-v1")
                .filter(p -> p != null && Files.isRegularFile(Path.of(p, "usr/sbin", command)))
                .map(Path::of).findFirst().orElse(null);
        Assumptions.assumeTrue(image != null, "no fixture image with PHP (bin/test builds them)");
        return image;
    }
}
