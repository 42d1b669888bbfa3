package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dormant image} and {@code dormant store} as an admin runs them, on a real Debian tree, with
 * no engine running: output, exit codes, and what a kill -9 in the middle of an import leaves.
 */
class ImageCommandIT {

    @TempDir
    Path temp;

    private DormantProcess dormant;

    @BeforeEach
    void newHome() {
        dormant = new DormantProcess(Map.of("DORMANT_HOME", temp.resolve("home").toString()), temp.resolve("cli.log"));
    }

    @AfterEach
    void stopDatabase() throws Exception {
        dormant.run("db", "stop");
    }

    @Test
    void importListVersionsDiffAndExport() throws Exception {
        Path rootfs = rootfs();

        DormantProcess.Outcome imported = dormant.run("image", "import", "debian", rootfs.toString());
        DormantProcess.Outcome again = dormant.run("image", "import", "debian", rootfs.toString(), "--json");

        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(imported.output()).contains("imported debian@1 from directory " + rootfs);
        assertThat(again.output()).contains("\"ref\" : \"debian@2\"").contains("\"newBytes\" : 0");
        assertThat(dormant.run("image", "list").output()).containsPattern("debian\\s+2\\s+debian@2");
        assertThat(dormant.run("image", "versions", "debian").output()).contains("debian@2  debian@1  import");
        assertThat(dormant.run("image", "diff", "debian@1", "debian").output().strip())
                .isEqualTo("debian@1 -> debian@2: 0 added, 0 removed, 0 changed");

        long installed = Files.readAllLines(rootfs.resolve("var/lib/dpkg/status")).stream()
                .filter(line -> line.startsWith("Package: ")).count();
        DormantProcess.Outcome inventory = dormant.run("image", "inventory", "debian@1");
        assertThat(inventory.output()).containsPattern("deb\\s+dpkg\\s+\\S+\\s+\\S+\\s+install ok installed")
                .contains(installed + " packages");

        Path tar = temp.resolve("debian.tar");
        DormantProcess.Outcome exported = dormant.run("image", "export", "debian@1", tar.toString(), "--format", "tar");
        assertThat(exported.exitCode()).as(exported.output()).isZero();
        assertThat(Commands.run("tar", "-tf", tar.toString())).contains("etc/os-release");

        assertThat(dormant.run("audit", "log", "--image", "debian").output())
                .contains("version.created").contains("image:debian@2").contains("version.exported");
        DormantProcess.Outcome verified = dormant.run("audit", "verify");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("audit trail intact: 3 events");
    }

    @Test
    void errorsAreOneLineWithTheNextStep() throws Exception {
        DormantProcess.Outcome unknown = dormant.run("image", "versions", "nothing-here");
        DormantProcess.Outcome missing = dormant.run("image", "import", "x", temp.resolve("absent").toString());

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output().strip()).isEqualTo("error: there is no image 'nothing-here'; 'dormant image list' shows the images");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output().strip()).isEqualTo("error: " + temp.resolve("absent") + " is neither a directory, a tar archive nor a disk image (it does not exist)");
    }

    @Test
    void aKilledImportLeavesNoVersionAndGcCleansUp() throws Exception {
        Path rootfs = rootfs();
        assertThat(dormant.run("db", "status").exitCode()).isZero();
        dormant.run("image", "list");
        Path store = temp.resolve("home/store");

        dormant.start("image", "import", "killed", rootfs.toString());
        waitForUnpublishedPack(store.resolve("packs"), 2 << 20);
        dormant.kill();

        DormantProcess.Outcome versions = dormant.run("image", "versions", "killed");
        DormantProcess.Outcome fsck = dormant.run("store", "fsck");
        DormantProcess.Outcome gc = dormant.run("store", "gc", "--json");

        assertThat(versions.exitCode()).isEqualTo(1);
        assertThat(fsck.exitCode()).as(fsck.output()).isZero();
        assertThat(fsck.output()).contains("store is consistent");
        assertThat(gc.exitCode()).as(gc.output()).isZero();
        assertThat(gc.output()).containsPattern("\"unfinishedPacks\" : [1-9]").containsPattern("\"bytesFreed\" : [1-9]");
        assertThat(countFiles(store.resolve("objects"))).isZero();
        assertThat(countFiles(store.resolve("packs"))).isZero();
    }

    /** Waits until the import has written this much into a pack that no index has published yet. */
    private static void waitForUnpublishedPack(Path packs, long atLeastBytes) throws Exception {
        for (int i = 0; i < 2000 && unpublishedBytes(packs) < atLeastBytes; i++) {
            Thread.sleep(5);
        }
        assertThat(unpublishedBytes(packs)).as("bytes written before the kill").isGreaterThanOrEqualTo(atLeastBytes);
    }

    private static long unpublishedBytes(Path packs) throws Exception {
        if (!Files.isDirectory(packs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(packs)) {
            return files.filter(f -> f.toString().endsWith(".pack"))
                    .filter(f -> !Files.exists(Path.of(f.toString().replaceAll("\\.pack$", ".idx"))))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long countFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static Path rootfs() {
        String configured = System.getenv("DORMANT_TEST_ROOTFS");
        Path path = Path.of(configured != null ? configured : "/var/cache/dormant-test/bookworm-minbase");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(path.resolve("etc")),
                "no Debian tree at " + path + ": bin/test builds one with bench/fixtures/debian-rootfs.sh");
        return path;
    }
}
