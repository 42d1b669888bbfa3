package io.dormant.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Detects a deb that dpkg-deb builds on this machine, once per compressor dpkg-deb offers. */
class PackageFormatIT {

    @TempDir
    Path work;

    @ParameterizedTest(name = "dpkg-deb -Z{0}")
    @ValueSource(strings = {"gzip", "xz", "none"})
    void detectsADebBuiltByDpkgDeb(String compression) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not on PATH; this test builds a real deb with it");
        Path deb = buildTinyDeb(compression);

        byte[] signature;
        try (InputStream in = Files.newInputStream(deb)) {
            signature = in.readNBytes(PackageFormat.SIGNATURE_LENGTH);
        }

        assertThat(PackageFormat.detect(signature)).isEqualTo(PackageFormat.DEB);
        assertThat(Arrays.stream(PackageFormat.values()).filter(f -> f.matches(signature))).containsExactly(PackageFormat.DEB);
    }

    private Path buildTinyDeb(String compression) throws IOException, InterruptedException {
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/dormant-fixture"));
        Files.writeString(root.resolve("usr/share/dormant-fixture/readme.txt"), "hello\n");
        Files.writeString(root.resolve("DEBIAN/control"), """
                Package: dormant-fixture
                Version: 1.0-1
                Architecture: all
                Maintainer: Dormant <dormant@example.invalid>
                Description: fixture for Dormant's format detection
                """);
        Path deb = work.resolve("dormant-fixture_1.0-1_all.deb");
        Process build = new ProcessBuilder("dpkg-deb", "--root-owner-group", "-Z" + compression, "--build",
                root.toString(), deb.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("dpkg-deb.log").toFile())
                .start();
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).as("dpkg-deb finished").isTrue();
        assertThat(build.exitValue()).as("dpkg-deb exit code; log: %s", Files.readString(work.resolve("dpkg-deb.log"))).isZero();
        return deb;
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
