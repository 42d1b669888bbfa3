package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter's read step over a well-formed package built by {@link DebFixture}. */
class DebPackageReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsControlArchiveAndDigest() throws Exception {
        Path deb = dir.resolve("hello_2.10-3_amd64.deb");
        Files.write(deb, DebFixture.good().bytes());

        DebPackage pkg = DebPackageReader.read(deb);

        assertThat(pkg.name()).isEqualTo("hello");
        assertThat(pkg.version()).isEqualTo(DebianVersion.parse("2.10-3"));
        assertThat(pkg.architecture()).isEqualTo("amd64");
        assertThat(pkg.multiArch()).isEqualTo("no");
        assertThat(pkg.relations().depends().format()).isEqualTo("libc6 (>= 2.34)");
        assertThat(pkg.relations().get("Pre-Depends")).isEqualTo(DebRelations.NONE);
        assertThat(pkg.conffiles()).containsExactly(new DebConffile("/etc/hello.conf", null, false, false));
        assertThat(pkg.md5sums()).containsEntry("usr/bin/hello", "6e2e3b6e0d0bb4f0e2e3c0f9b9e1c3a2");
        assertThat(pkg.scripts()).containsOnlyKeys("postinst");
        assertThat(new String(pkg.script("postinst").orElseThrow(), StandardCharsets.UTF_8)).startsWith("#!/bin/sh");
        assertThat(pkg.triggers().directives()).containsExactly(
                new DebTriggerDirective(DebTriggerDirective.Kind.INTEREST_NOAWAIT, "/usr/share/hello"),
                new DebTriggerDirective(DebTriggerDirective.Kind.ACTIVATE_NOAWAIT, "ldconfig"));
        assertThat(pkg.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(deb))));
        assertThat(DebArchiveReader.matches(Files.readAllBytes(deb))).isTrue();
    }

    @Test
    void buildsTheStatusParagraphDpkgWouldWrite() throws Exception {
        Path deb = dir.resolve("hello.deb");
        Files.write(deb, DebFixture.good().bytes());
        DebPackage pkg = DebPackageReader.read(deb);

        DebControl paragraph = DpkgStatusWriter.installedParagraph(pkg,
                pkg.conffiles().stream().map(c -> c.withHash("0123456789abcdef0123456789abcdef")).toList());

        assertThat(paragraph.format()).isEqualTo("""
                Package: hello
                Status: install ok installed
                Priority: optional
                Section: devel
                Installed-Size: 280
                Maintainer: Santiago Vila <sanvila@debian.org>
                Architecture: amd64
                Version: 2.10-3
                Depends: libc6 (>= 2.34)
                Conffiles:
                 /etc/hello.conf 0123456789abcdef0123456789abcdef
                Description: example package based on GNU hello
                 The GNU hello program produces a familiar, friendly greeting.
                Homepage: https://www.gnu.org/software/hello/
                """);
    }
}
