package io.dormant.library.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.VersionReason;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.db.CatalogueSchema;
import io.dormant.library.db.DatabaseSettings;
import io.dormant.library.db.EmbeddedPostgres;
import io.dormant.library.diff.Change;
import io.dormant.library.disk.DiskImages;
import io.dormant.library.fs.Commands;
import io.dormant.library.progress.Progress;
import io.dormant.library.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Disk images through a real libguestfs appliance: an ext4 disk made with mke2fs is imported, a
 * version made from it is exported as a qcow2 overlay and flattened, and the flattened disk, read
 * back, holds exactly the version's tree. Every appliance start costs 20 s or more under TCG, so
 * the cases share one library and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskImageIT {
    private static final byte[] CAPABILITY = java.util.Base64.getDecoder().decode("AQAAAgAgAAAAAAAAAAAAAAAAAAA=");

    private static Path databaseHome;
    private static EmbeddedPostgres postgres;
    private static Path home;
    private static Path scratch;
    private static ImageLibrary library;
    private static Path disk;

    @BeforeAll
    static void openLibrary() throws Exception {
        Assumptions.assumeTrue(Commands.available("guestfish") && Commands.available("mkfs.ext4"),
                "needs guestfish (libguestfs-tools) and mkfs.ext4 (e2fsprogs)");
        databaseHome = Commands.scratch("disk-db");
        postgres = new EmbeddedPostgres(databaseHome, Map.of());
        DatabaseSettings settings = postgres.start();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        CatalogueSchema.migrate(dataSource);
        home = Commands.scratch("disk-home");
        scratch = Commands.scratch("disk-source");
        // The tests' machines run nested, where KVM hangs guests; the engine decides this by probing.
        library = ImageLibrary.open(home, dataSource).withDiskImages(new DiskImages(() -> Map.of("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg")));
        disk = ext4Disk(linuxTree(scratch.resolve("tree")), scratch.resolve("guest.raw"));
    }

    @AfterAll
    static void close() throws IOException {
        if (postgres != null) {
            postgres.stop();
        }
        Commands.deleteTree(databaseHome);
        Commands.deleteTree(home);
        Commands.deleteTree(scratch);
    }

    @Test
    @Order(1)
    void aDiskImportHoldsTheSameTreeAsItsSourceDirectoryButLostAndFound() throws Exception {
        ImportReport fromDisk = library.importImage("guest", disk, "tester", Progress.none());
        ImportReport fromDirectory = library.importImage("tree", scratch.resolve("tree"), "tester", Progress.none());

        assertThat(fromDisk.sourceKind()).isEqualTo("disk");
        assertThat(fromDisk.version().summary()).contains("(disk, raw)");
        List<Change> changes = library.diff(VersionRef.parse("tree@1"), VersionRef.parse("guest@1")).result().changes();
        // mke2fs made lost+found in the root, which is why the root's mtime moved too.
        assertThat(changes).extracting(Change::toString).containsExactly("CHANGED / [MTIME]", "ADDED /lost+found");
        // security.* xattrs (file capabilities) come through, not only user.*
        Workspace workspace = Workspace.open(library.store(), fromDisk.version().root());
        assertThat(workspace.lstat("/usr/bin/tool").meta().xattrs()).containsKeys("security.capability", "user.note");
    }

    @Test
    @Order(2)
    void aPatchedVersionExportedOntoItsDiskReadsBackAsTheSameTree() throws Exception {
        ImageVersion base = library.catalogue().version(VersionRef.parse("guest@1"));
        Workspace workspace = Workspace.open(library.store(), base.root());
        workspace.write("/usr/bin/tool", bytes("new content\n"));           // one member of a hardlink pair
        workspace.setXattr("/usr/bin/tool", "security.capability", CAPABILITY);
        workspace.deleteRecursive("/var/old");                              // a removed directory tree
        workspace.delete("/etc/legacy-link");
        workspace.mkdir("/etc/legacy-link", 0750);                          // a symlink that became a directory
        workspace.write("/etc/legacy-link/conf", bytes("a=1\n"));
        workspace.write("/etc/name with 'quotes' and spaces", bytes("odd\n"));
        workspace.chmod("/etc/fstab", 0600);
        workspace.chown("/etc/os-release", 1234, 5678);
        workspace.symlink("/usr/bin/alias", "tool");
        ImageVersion patched = library.checkIn(base, workspace, VersionReason.PATCH, "tester", "changed on purpose");

        Path overlay = scratch.resolve("patched.qcow2");
        ExportReport written = library.export(VersionRef.parse(patched.ref()), overlay, ExportFormat.QCOW2, Progress.none());
        assertThat(Commands.run("qemu-img", "info", overlay.toString())).contains("backing file: " + disk);
        assertThat(written.result().otherEntries()).as("removals").isEqualTo(2);

        Path flat = scratch.resolve("patched-flat.qcow2");
        library.export(VersionRef.parse(patched.ref()), flat, ExportFormat.QCOW2_FLAT, Progress.none());
        assertThat(Commands.run("qemu-img", "info", flat.toString())).doesNotContain("backing file");
        assertThat(Files.list(scratch).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part") || n.endsWith(".tar"));

        ImportReport readBack = library.importImage("readback", flat, "tester", Progress.none());
        assertThat(library.diff(VersionRef.parse(patched.ref()), VersionRef.parse("readback@1")).result().changes()).isEmpty();
        assertThat(readBack.version().root()).isEqualTo(patched.root());
    }

    @Test
    @Order(3)
    void aDiskWithABackingFileIsRefusedBeforeQemuOpensIt() throws Exception {
        Path sneaky = scratch.resolve("sneaky.qcow2");
        Commands.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", sneaky.toString());
        int images = library.catalogue().images().size();

        assertThatThrownBy(() -> library.importImage("sneaky", sneaky, "tester", Progress.none()))
                .isInstanceOf(ImageLibraryException.class)
                .hasMessageContaining(sneaky.toString()).hasMessageContaining("has a backing file (/etc/passwd)")
                .hasMessageContaining("qemu-img convert");
        assertThat(library.catalogue().images()).hasSize(images);
    }

    @Test
    @Order(4)
    void aDiskWithoutAnOperatingSystemSaysSo() throws Exception {
        Path empty = Files.createDirectories(scratch.resolve("no-os"));
        Files.writeString(empty.resolve("README"), "data only\n");
        Path dataDisk = ext4Disk(empty, scratch.resolve("data.raw"));

        assertThatThrownBy(() -> library.importImage("data", dataDisk, "tester", Progress.none()))
                .isInstanceOf(ImageLibraryException.class)
                .hasMessageContaining("libguestfs found no operating system on " + dataDisk);
        assertThat(library.catalogue().images()).extracting(s -> s.name()).doesNotContain("data");
    }

    @Test
    @Order(5)
    void aDiskExportNeedsADiskInTheLineageAndTheDiskAsImported() throws Exception {
        assertThatThrownBy(() -> library.export(VersionRef.parse("tree@1"), scratch.resolve("x.qcow2"), ExportFormat.QCOW2, Progress.none()))
                .isInstanceOf(ImageLibraryException.class)
                .hasMessageContaining("tree@1 has no disk image in its lineage");

        // as `touch -r` after a write would: the mtime is as imported, only the ctime tells
        Files.setLastModifiedTime(disk, Files.getLastModifiedTime(disk));
        assertThatThrownBy(() -> library.export(VersionRef.parse("guest@2"), scratch.resolve("y.qcow2"), ExportFormat.QCOW2, Progress.none()))
                .isInstanceOf(ImageLibraryException.class)
                .hasMessageContaining("the disk image " + disk + " changed since guest@1 was imported");
        assertThat(scratch.resolve("y.qcow2")).doesNotExist();
    }

    /** A small tree that libguestfs' inspection takes for Debian, with what a disk must carry. */
    private static Path linuxTree(Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("var/old/sub"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nNAME=\"Debian GNU/Linux\"\n");
        Files.writeString(root.resolve("etc/debian_version"), "12.0\n");
        Files.writeString(root.resolve("etc/fstab"), "/dev/sda / ext4 defaults 0 1\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("etc/legacy-link"), Path.of("/nowhere"));
        Files.writeString(root.resolve("usr/bin/tool"), "old content\n");
        Files.createLink(root.resolve("usr/bin/tool2"), root.resolve("usr/bin/tool"));
        Files.writeString(root.resolve("var/old/sub/file"), "x\n");
        Commands.run("setfattr", "-n", "user.note", "-v", "hello", root.resolve("usr/bin/tool").toString());
        Commands.run("setfattr", "-n", "security.capability", "-v", "0s" + java.util.Base64.getEncoder().encodeToString(CAPABILITY),
                root.resolve("usr/bin/tool").toString());
        // mke2fs -d copies whole seconds of mtime only; a disk written by a running system keeps
        // nanoseconds, and the import reads them (GNU tar's PAX mtime records).
        Commands.run("find", root.toString(), "-exec", "touch", "-h", "-d", "@1700000000", "{}", "+");
        return root;
    }

    /** 256-byte inodes: a small file system otherwise gets 128-byte ones, which keep no sub-second mtimes. */
    private static Path ext4Disk(Path tree, Path raw) throws Exception {
        Commands.run("truncate", "-s", "64M", raw.toString());
        Commands.run("mkfs.ext4", "-q", "-F", "-I", "256", "-d", tree.toString(), raw.toString());
        return raw;
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
