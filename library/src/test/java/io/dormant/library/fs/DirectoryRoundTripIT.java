package io.dormant.library.fs;

import static io.dormant.library.fs.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.diff.TreeDiff;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Import, export and re-import of a real Debian root file system (setuid binaries, devices,
 * hardlinks, root-owned files), with a capability, an ACL, a fifo and a non-UTF-8 name added.
 */
class DirectoryRoundTripIT {
    static Path work;
    static Path source;
    static ContentStore store;

    @BeforeAll
    static void prepare() throws Exception {
        Path rootfs = Commands.rootfs();
        work = Commands.scratch("roundtrip");
        source = work.resolve("src");
        run("cp", "-a", rootfs.toString(), source.toString());
        decorate(source);
        store = ContentStore.open(work.resolve("store"));
    }

    /** Adds what a minbase tree lacks, so that every path of the exporter is exercised. */
    static void decorate(Path root) throws Exception {
        Path ping = root.resolve("usr/bin/dormant-ping");
        run("cp", "-a", root.resolve("usr/bin/passwd").toString(), ping.toString());
        run("setfattr", "-n", "security.capability", "-v", "0x0100000200200000000000000000000000000000", ping.toString());
        run("setfattr", "-n", "user.dormant", "-v", "kept", root.resolve("etc/hostname").toString());
        run("setfacl", "-m", "u:1234:rwx", "-m", "d:g:50:rx", root.resolve("srv").toString());
        run("setfacl", "-m", "u:1234:r", root.resolve("etc/os-release").toString());
        run("mkfifo", "-m", "0640", root.resolve("run/dormant.fifo").toString());
        String cafe = "\"$(printf '" + root + "/tmp/caf\\351')\"";
        run("sh", "-c", "touch " + cafe + " && chown 1234:50 " + cafe + " && touch -h -d '2001-02-03 04:05:06.123456789' " + cafe);
        run("sh", "-c", "mkdir -p " + root + "/opt/dormant && chmod 2755 " + root + "/opt/dormant && chmod 1777 " + root
                + "/var/tmp && ln -s /../../../host " + root + "/etc/escape && touch -h -d '2002-01-01 00:00:00.5' " + root + "/etc/escape");
    }

    @AfterAll
    static void clean() throws Exception {
        Commands.deleteTree(work);
    }

    @Test
    void exportedTreeIsIdenticalToTheSource() throws Exception {
        DirectoryImporter importer = new DirectoryImporter(store, work.resolve("cache-a"));
        ImportResult first = importer.importDirectory(source, Progress.none());
        assertThat(first.files()).isGreaterThan(1000);
        Path out = work.resolve("export");
        new DirectoryExporter(store).export(first.root(), out, Progress.none());

        assertIdentical(source, out);
    }

    @Test
    void reimportStoresNothingNewReadsNothingAndGivesTheSameRoot() throws Exception {
        Path cache = work.resolve("cache-b");
        DirectoryImporter importer = new DirectoryImporter(store, cache);
        ImportResult first = importer.importDirectory(source, Progress.none());
        ImportResult again = importer.importDirectory(source, Progress.none());

        assertThat(again.root()).isEqualTo(first.root());
        assertThat(again.newBytes()).isZero();
        assertThat(again.filesHashed()).isZero();

        Path one = source.resolve("etc/motd");
        Files.writeString(one, "changed by the test\n", java.nio.file.StandardOpenOption.APPEND);
        try {
            ImportResult changed = importer.importDirectory(source, Progress.none());
            assertThat(changed.filesHashed()).isEqualTo(1);
            assertThat(new TreeDiff(store).diff(first.root(), changed.root()).changes())
                    .extracting(c -> c.path() + " " + c.kinds())
                    .containsExactly("/etc/motd [CONTENT, MTIME]");
        } finally {
            run("sh", "-c", "truncate -s -20 " + one);
        }
    }

    @Test
    void aCheckoutWithStubsReadsThroughItsOverlayAsTheSourceAndHoldsNoLargeFileData() throws Exception {
        ImportResult imported = new DirectoryImporter(store, work.resolve("cache-c")).importDirectory(source, Progress.none());
        store.sync(); // published, as a version's objects are: large ones are then files of their own
        Path stubs = work.resolve("stubs");
        DirectoryExporter.withStubs(store, store.objectsDir()).export(imported.root(), stubs, Progress.none());

        Path large = largestFile(source);
        Path stub = stubs.resolve(source.relativize(large));
        assertThat(Files.size(large)).isGreaterThan(ContentStore.PACK_LIMIT);
        assertThat(Files.size(stub)).isEqualTo(Files.size(large));
        // No data blocks: at most the one block an ext4 inode takes for xattrs that do not fit in it.
        assertThat(Long.parseLong(run("stat", "-c", "%b", stub.toString()).strip()) * 512).isLessThanOrEqualTo(4096);
        String sha = run("sha256sum", large.toString()).substring(0, 64);
        assertThat(run("getfattr", "-h", "--only-values", "-n", "trusted.overlay.redirect", stub.toString()))
                .isEqualTo("/" + sha.substring(0, 2) + "/" + sha.substring(2));

        assertThat(HostTrees.size(stubs)).as("what the checkout holds").isLessThan(HostTrees.size(source) - Files.size(large));
        Path merged = mountStubs(stubs, "stubs-overlay");
        try {
            assertIdentical(source, merged);
        } finally {
            run("umount", merged.toString());
        }
    }

    /**
     * An image's own overlay xattrs would steer the overlay: a small file claiming to be a stub of
     * another object must read as itself, and the checkout must not carry the claim.
     */
    @Test
    void anImagesOverlayXattrsAreLeftOutOfACheckoutWithStubs() throws Exception {
        Path tree = work.resolve("hostile");
        Files.createDirectories(tree);
        byte[] secret = new byte[ContentStore.PACK_LIMIT + 4096];
        new java.util.Random(7).nextBytes(secret);
        Files.write(tree.resolve("secret.bin"), secret);
        Files.writeString(tree.resolve("innocent"), "mine\n");
        String sha = run("sha256sum", tree.resolve("secret.bin").toString()).substring(0, 64);
        run("setfattr", "-n", "trusted.overlay.metacopy", tree.resolve("innocent").toString());
        run("setfattr", "-n", "trusted.overlay.redirect", "-v", "/" + sha.substring(0, 2) + "/" + sha.substring(2),
                tree.resolve("innocent").toString());
        ImportResult imported = new DirectoryImporter(store, work.resolve("cache-d")).importDirectory(tree, Progress.none());
        store.sync();
        Path stubs = work.resolve("hostile-stubs");
        DirectoryExporter.withStubs(store, store.objectsDir()).export(imported.root(), stubs, Progress.none());

        assertThat(run("sh", "-c", "getfattr -h -d -m - " + stubs.resolve("innocent") + " 2>/dev/null")).doesNotContain("overlay");
        Path merged = mountStubs(stubs, "hostile-overlay");
        try {
            assertThat(Files.readString(merged.resolve("innocent"))).isEqualTo("mine\n");
            assertThat(Files.readAllBytes(merged.resolve("secret.bin"))).isEqualTo(secret);
        } finally {
            run("umount", merged.toString());
        }
    }

    /** Mounts a checkout with stubs over the store's objects, as a patch apply does; skips where the kernel cannot. */
    private static Path mountStubs(Path stubs, String name) throws Exception {
        Path dir = work.resolve(name);
        for (String sub : new String[] {"upper", "work", "merged"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        // The merged root shows the upper dir's own attributes, as in an apply before anything changes it.
        run("touch", "-r", stubs.toString(), dir.resolve("upper").toString());
        Commands.Result mount = Commands.exec("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + stubs + "::"
                + store.objectsDir() + ",upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"),
                dir.resolve("merged").toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.exit() == 0,
                "this kernel has no overlayfs data-only layers (Linux 6.5 and later): " + mount.stderr());
        return dir.resolve("merged");
    }

    private static Path largestFile(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }

    /** rsync in checksum mode finds no difference, and every mtime (directories too) is the same. */
    static void assertIdentical(Path a, Path b) throws Exception {
        String rsync = run("rsync", "-aHAXn", "--checksum", "--itemize-changes", "--delete", a + "/", b + "/");
        assertThat(rsync).isEmpty();
        String left = run("sh", "-c", "cd " + a + " && find . -printf '%P %T@ %m %U %G %y\\n' | LC_ALL=C sort");
        String right = run("sh", "-c", "cd " + b + " && find . -printf '%P %T@ %m %U %G %y\\n' | LC_ALL=C sort");
        assertThat(right).isEqualTo(left);
        String xattrsLeft = run("sh", "-c", "cd " + a + " && getfattr -R -h -d -m - -e hex . 2>/dev/null");
        String xattrsRight = run("sh", "-c", "cd " + b + " && getfattr -R -h -d -m - -e hex . 2>/dev/null");
        assertThat(xattrsRight).isEqualTo(xattrsLeft).contains("security.capability");
    }
}
