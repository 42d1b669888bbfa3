package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for the status writer is dpkg itself: real packages are installed with
 * {@code dpkg --root} into a copy of a debootstrapped bookworm tree, and the status file Dormant
 * builds from the same packages (control file, "install ok installed", conffiles with the md5 of
 * each unpacked file) must be byte-identical to the one dpkg wrote.
 */
class DpkgStatusWriterIT {

    static final Path BOOKWORM = Path.of("/var/cache/dormant-test/bookworm-minbase");

    @TempDir
    Path work;

    @Test
    void installedParagraphsAreWhatDpkgWrites() throws Exception {
        assumeTrue(Files.isRegularFile(BOOKWORM.resolve("var/lib/dpkg/status")), "needs the debootstrapped bookworm tree");
        assumeTrue(run(work, "dpkg", "--version") == 0, "needs dpkg");
        // hello has no conffiles and no scripts; openssl has a conffile and a postinst.
        assumeTrue(run(work, "apt-get", "download", "hello", "openssl") == 0, "needs apt-get download");
        Path root = work.resolve("root");
        assertThat(run(work, "cp", "-a", BOOKWORM.toString(), root.toString())).isZero();
        try {
            installAndCompare(root);
        } finally {
            run(work, "rm", "-rf", root.toString()); // @TempDir warns about every image symlink it deletes
        }
    }

    private void installAndCompare(Path root) throws Exception {
        List<DebControl> expected = new DpkgDatabase(ImageFiles.of(root)).statusParagraphs();

        List<Path> debs = new ArrayList<>();
        try (var files = Files.list(work)) {
            files.filter(p -> p.toString().endsWith(".deb")).sorted().forEach(debs::add);
        }
        for (Path deb : debs) {
            assertThat(run(work, "dpkg", "--root=" + root, "--force-depends", "-i", deb.toString())).isZero();
            DebPackage pkg = DebPackageReader.read(deb);
            DebControl paragraph = DpkgStatusWriter.installedParagraph(pkg, hashedConffiles(deb, pkg));
            expected = DpkgStatusWriter.withEntry(expected, paragraph);
        }

        byte[] written = Files.readAllBytes(root.resolve("var/lib/dpkg/status"));
        assertThat(new String(DpkgStatusWriter.write(expected), StandardCharsets.UTF_8))
                .isEqualTo(new String(written, StandardCharsets.UTF_8));
    }

    /** What the applier will do: md5 of each conffile as it comes out of the data archive. */
    static List<DebConffile> hashedConffiles(Path deb, DebPackage pkg) throws IOException {
        Map<String, String> md5 = new java.util.HashMap<>();
        DebArchiveReader.open(deb).readData((entry, content) -> {
            if (pkg.conffiles().stream().anyMatch(c -> c.path().equals("/" + entry.path()))) {
                try {
                    md5.put("/" + entry.path(), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.readAllBytes())));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return pkg.conffiles().stream().map(c -> c.withHash(md5.get(c.path()))).toList();
    }

    static int run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("command.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
