package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebFixture;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking as dpkg does, into a plain directory: what each file gets, and the conffile rules. */
class DebUnpackerTest {

    @TempDir
    Path root;
    Path deb;
    DebPackage pkg;

    @BeforeEach
    void image() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "owners can be set by root only");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        // A merged-/usr image: the package's usr/bin is reached through the image's own symlink.
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        deb = Files.write(root.getParent().resolve(root.getFileName() + ".deb"), DebFixture.good().bytes());
        pkg = DebPackageReader.read(deb);
    }

    @Test
    void filesGetTheArchivesModeTimeAndOwnerAndConffilesTheirMd5() throws IOException {
        UnpackResult result = unpack(List.of());

        Path hello = root.resolve("usr/bin/hello");
        assertThat(Files.readString(hello)).isEqualTo("#!/bin/sh\necho hello\n");
        assertThat(Files.getAttribute(hello, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0100755);
        assertThat(Files.getAttribute(hello, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
        assertThat(Files.getLastModifiedTime(hello).toMillis()).isEqualTo(1672068600_000L);
        assertThat(Files.getAttribute(root.resolve("etc/hello.conf"), "unix:mode")).isEqualTo(0100644);
        assertThat(result.conffiles()).containsExactly(new DebConffile("/etc/hello.conf", md5("greeting=hi\n"), false, false));
        assertThat(result.added()).containsExactly("/etc/hello.conf", "/usr/bin/hello");
        assertThat(root.resolve("usr/bin/hello.dpkg-new")).doesNotExist();
    }

    @Test
    void aConffileChangedLocallyIsKeptAndThePackagesVersionWrittenBesideIt() throws IOException {
        Files.writeString(root.resolve("etc/hello.conf"), "greeting=local\n");
        Files.writeString(root.resolve("usr/bin/hello.dpkg-new"), "left by a crash");

        UnpackResult result = unpack(List.of(new DebConffile("/etc/hello.conf", md5("greeting=old\n"), false, false)));

        assertThat(Files.readString(root.resolve("etc/hello.conf"))).isEqualTo("greeting=local\n");
        assertThat(Files.readString(root.resolve("etc/hello.conf.dpkg-dist"))).isEqualTo("greeting=hi\n");
        assertThat(result.keptConffiles()).containsExactly("/etc/hello.conf");
        assertThat(result.changed()).containsExactly("/etc/hello.conf");
        assertThat(Files.readString(root.resolve("usr/bin/hello"))).isEqualTo("#!/bin/sh\necho hello\n");
    }

    @Test
    void aConffileThatIsALinkOutOfTheImageIsLeftAsDpkgLeavesItAndNothingOutsideIsWritten(@TempDir Path host)
            throws IOException {
        Path outside = Files.writeString(host.resolve("hello.conf"), "the host's own file\n");
        Files.createSymbolicLink(root.resolve("etc/hello.conf"), Path.of("../../../../../../../.." + outside));

        UnpackResult result = unpack(List.of(new DebConffile("/etc/hello.conf", md5("greeting=old\n"), false, false)));

        assertThat(outside).hasContent("the host's own file");
        assertThat(host.resolve("hello.conf.dpkg-new")).doesNotExist();
        assertThat(root.resolve("etc/hello.conf")).isSymbolicLink();
        assertThat(root.resolve("etc/hello.conf.dpkg-new")).hasContent("greeting=hi");
        assertThat(result.conffiles()).as("dpkg keeps the recorded md5 sum: it finds nothing to configure")
                .containsExactly(new DebConffile("/etc/hello.conf", md5("greeting=old\n"), false, false));
        assertThat(result.warnings()).anyMatch(warning -> warning.contains("/etc/hello.conf is a link") && warning.contains("by hand"));
    }

    @Test
    void aDirectoryWhereThePackageHasAFileIsAnErrorAndNothingIsWrittenBesideIt() throws IOException {
        Files.createDirectories(root.resolve("usr/bin/hello"));

        assertThatThrownBy(() -> unpack(List.of())).hasMessageEndingWith(
                "usr/bin/hello is a directory in the image, the package has a file there");
        assertThat(root.resolve("usr/bin/hello.dpkg-new")).doesNotExist();
    }

    @Test
    void aPackageWithoutMd5sumsGetsThemFromWhatWasUnpackedAsDpkgWritesThem() throws IOException {
        Map<String, String> control = new java.util.LinkedHashMap<>(DebFixture.controlFiles(DebFixture.CONTROL));
        control.remove("./md5sums");
        Map<String, String> data = new java.util.LinkedHashMap<>(DebFixture.dataFiles());
        data.put("./usr/bin/hi", "->hello");
        data.put("./usr/bin/empty", "");
        deb = Files.write(deb, DebFixture.good().replace("control.tar.gz", DebFixture.gzip(DebFixture.tar(control)))
                .replace("data.tar.xz", DebFixture.xz(DebFixture.tar(data))).bytes());
        pkg = DebPackageReader.read(deb);

        UnpackResult result = unpack(List.of());

        // Regular files in archive order, conffiles included; no directories or symlinks.
        assertThat(new String(result.generatedMd5sums(), StandardCharsets.UTF_8)).isEqualTo(
                md5("greeting=hi\n") + "  etc/hello.conf\n"
                + md5("#!/bin/sh\necho hello\n") + "  usr/bin/hello\n"
                + md5("") + "  usr/bin/empty\n");
    }

    @Test
    void filesWrittenBesideTheReaderAreAllThereWithAPathNamedTwiceTakingItsLastEntryAndAHardLinkItsTarget()
            throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            directory(out, "./usr/");
            directory(out, "./usr/share/");
            for (int d = 0; d < 8; d++) {
                directory(out, "./usr/share/d" + d + "/");
                for (int f = 0; f < 60; f++) {
                    file(out, "./usr/share/d" + d + "/f" + f, "file " + d + "/" + f + "\n".repeat(f * 50));
                }
            }
            file(out, "./usr/share/twice", "first\n");
            file(out, "./usr/share/twice", "second\n");
            TarArchiveEntry link = new TarArchiveEntry("./usr/share/linked", TarArchiveEntry.LF_LINK);
            link.setLinkName("./usr/share/d7/f59");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        deb = Files.write(deb, DebFixture.good().replace("data.tar.xz", DebFixture.xz(tar.toByteArray())).bytes());
        pkg = DebPackageReader.read(deb);

        UnpackResult result = unpack(List.of());

        for (int d = 0; d < 8; d++) {
            for (int f = 0; f < 60; f++) {
                Path file = root.resolve("usr/share/d" + d + "/f" + f);
                assertThat(Files.readString(file)).isEqualTo("file " + d + "/" + f + "\n".repeat(f * 50));
                assertThat(Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0100644);
                assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1672068600_000L);
            }
        }
        assertThat(Files.readString(root.resolve("usr/share/twice"))).isEqualTo("second\n");
        assertThat(Files.isSameFile(root.resolve("usr/share/linked"), root.resolve("usr/share/d7/f59"))).isTrue();
        // The second entry of the path finds the first one's file there, as it does one entry after another.
        assertThat(result.added()).hasSize(8 * 60 + 2);
        assertThat(result.changed()).containsExactly("/usr/share/twice");
        try (var names = Files.walk(root)) {
            assertThat(names.filter(p -> p.toString().endsWith(".dpkg-new"))).isEmpty();
        }
    }

    @Test
    void aWriteThatFailsBesideTheReaderFailsTheUnpackWithItsOwnError() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        String tooLong = "n".repeat(250); // its .dpkg-new name is longer than a name may be
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            directory(out, "./usr/");
            directory(out, "./usr/share/");
            for (int f = 0; f < 100; f++) {
                file(out, "./usr/share/f" + f, "file " + f + "\n");
            }
            file(out, "./usr/share/" + tooLong, "x\n");
            file(out, "./usr/share/after", "after\n");
        }
        deb = Files.write(deb, DebFixture.good().replace("data.tar.xz", DebFixture.xz(tar.toByteArray())).bytes());
        pkg = DebPackageReader.read(deb);

        assertThatThrownBy(() -> unpack(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("open failed on " + root.resolve("usr/share/" + tooLong + ".dpkg-new"))
                .hasMessageContaining("File name too long");
    }

    private static void directory(TarArchiveOutputStream out, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(1672068600_000L);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(data.length);
        e.setModTime(1672068600_000L);
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
    }

    @Test
    void aPackageThatShipsMd5sumsKeepsItsOwn() throws IOException {
        assertThat(unpack(List.of()).generatedMd5sums()).isNull();
    }

    private UnpackResult unpack(List<DebConffile> previous) throws IOException {
        RootedFiles image = new RootedFiles(root);
        DebUnpacker unpacker = new DebUnpacker(image, ImageAccounts.read(image), StatOverrides.read(image), List.of(),
                io.dormant.adapters.deb.DpkgPathFilters.NONE, io.dormant.adapters.deb.DpkgConffileOptions.NONE);
        try (DecompressedArchives archives = new DecompressedArchives(Map.of(pkg.sha256(), deb), 1L << 30);
             InputStream data = archives.open(pkg.sha256())) {
            // an image with an empty dpkg database: no other package owns any path
            Files.createDirectories(root.resolve("var/lib/dpkg"));
            Files.writeString(root.resolve("var/lib/dpkg/status"), "");
            DpkgDatabase database = new DpkgDatabase(ImageFiles.of(root));
            FileTakeover takeover = new FileTakeover(database, new FileOwners(database), List.of());
            return unpacker.unpack(deb, data, pkg, previous, takeover.of(pkg, deb.getFileName().toString()));
        }
    }

    private static String md5(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
