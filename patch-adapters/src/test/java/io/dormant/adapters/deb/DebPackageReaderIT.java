package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real packages from the archive, read by Dormant and by dpkg-deb, must agree. */
class DebPackageReaderIT {

    @TempDir
    Path work;

    @Test
    void agreesWithDpkgDebOnRealPackages() throws Exception {
        assumeTrue(DpkgStatusWriterIT.run(work, "apt-get", "download", "hello", "openssl", "ca-certificates") == 0,
                "needs apt-get download");
        List<Path> debs = new ArrayList<>();
        try (var files = Files.list(work)) {
            files.filter(p -> p.toString().endsWith(".deb")).sorted().forEach(debs::add);
        }
        assertThat(debs).hasSize(3);
        for (Path deb : debs) {
            DebPackage pkg = DebPackageReader.read(deb);
            assertThat(pkg.name()).isEqualTo(dpkgDeb(deb, "-f", "Package").strip());
            assertThat(pkg.version().toString()).isEqualTo(dpkgDeb(deb, "-f", "Version").strip());
            assertThat(pkg.control().format()).isEqualTo(dpkgDeb(deb, "-f"));

            List<String> paths = new ArrayList<>();
            AtomicLong bytes = new AtomicLong();
            DebArchiveReader.open(deb).readData((entry, content) -> {
                paths.add(entry.path());
                bytes.addAndGet(content.transferTo(java.io.OutputStream.nullOutputStream()));
            });
            List<String> listed = dpkgDeb(deb, "--fsys-tarfile").lines().toList();
            assertThat(paths).as(deb.getFileName().toString()).hasSize(listed.size());
            assertThat(paths).contains(pkg.md5sums().keySet().toArray(String[]::new));
        }
    }

    /** dpkg-deb's output; --fsys-tarfile is listed by tar to get one line per entry. */
    private String dpkgDeb(Path deb, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg-deb"));
        command.addAll(List.of(args).subList(0, 1));
        command.add(deb.toString());
        command.addAll(List.of(args).subList(1, args.length));
        String shell = String.join(" ", command.stream().map(a -> "'" + a + "'").toList())
                + (args[0].equals("--fsys-tarfile") ? " | tar t" : "");
        Process p = new ProcessBuilder("sh", "-c", shell).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(shell + "\n" + out).isZero();
        return out;
    }
}
