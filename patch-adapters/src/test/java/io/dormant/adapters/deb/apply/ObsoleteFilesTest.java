package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dpkg's removal of obsolete files on a merged-/usr tree: package p upgrades, package q lists some
 * of the same paths and diverts one of p's files. (dpkg itself is compared in DpkgUnpackRulesIT.)
 */
class ObsoleteFilesTest {

    private static final List<String> OLD = List.of("/.", "/lib", "/lib/p", "/lib/p/moved", "/lib/p/linked", "/usr",
            "/usr/share", "/usr/share/p", "/usr/share/p/gone", "/usr/share/p/loop/x", "/usr/bin", "/usr/bin/tool",
            "/usr/share/common", "/usr/share/common/file");
    private static final List<String> NEW = List.of("/.", "/usr", "/usr/lib", "/usr/lib/p", "/usr/lib/p/moved",
            "/usr/lib/p/hardlink");

    @TempDir
    Path tree;

    @BeforeEach
    void mergedUsrTree() throws IOException {
        Files.createDirectories(tree.resolve("usr/lib/p"));
        Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));
        Files.writeString(tree.resolve("usr/lib/p/moved"), "moved\n");
        Files.writeString(tree.resolve("usr/lib/p/hardlink"), "linked\n");
        Files.createLink(tree.resolve("usr/lib/p/linked"), tree.resolve("usr/lib/p/hardlink"));
        Files.createDirectories(tree.resolve("usr/share/p"));
        Files.writeString(tree.resolve("usr/share/p/gone"), "gone\n");
        Files.createSymbolicLink(tree.resolve("usr/share/p/loop"), Path.of("loop"));
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("usr/bin/tool"), "q's tool\n");
        Files.writeString(tree.resolve("usr/bin/tool.distrib"), "p's tool\n");
        Files.createDirectories(tree.resolve("usr/share/common"));
        Files.writeString(tree.resolve("usr/share/common/file"), "both list it\n");

        Path admin = Files.createDirectories(tree.resolve("var/lib/dpkg/info"));
        Files.writeString(admin.resolve("../status"), paragraph("p") + "\n" + paragraph("q"));
        Files.writeString(admin.resolve("p.list"), String.join("\n", OLD) + "\n");
        Files.writeString(admin.resolve("q.list"), "/.\n/lib\n/usr\n/usr/bin\n/usr/bin/tool\n/usr/share\n/usr/share/common\n"
                + "/usr/share/common/file\n");
        Files.writeString(admin.resolve("../diversions"), "/usr/bin/tool\n/usr/bin/tool.distrib\nq\n");
    }

    @Test
    void removesWhatDpkgRemovesAndKeepsWhatItKeeps() throws IOException {
        DpkgDatabase database = new DpkgDatabase(ImageFiles.of(tree));
        ObsoleteFiles obsolete = new ObsoleteFiles(new FileOwners(database), new RootedFiles(tree), database.diversions());

        ObsoleteFiles.Removed removed = obsolete.remove("p", OLD, NEW, NEW, List.of());

        assertThat(removed.paths()).containsExactly("/usr/share/common/file", "/usr/bin/tool.distrib", "/usr/share/p/gone");
        assertThat(tree.resolve("usr/lib/p/moved")).as("moved to its merged-/usr alias").hasContent("moved");
        assertThat(tree.resolve("usr/lib/p/hardlink")).as("an old name of a new file").hasContent("linked");
        assertThat(tree.resolve("usr/lib/p/linked")).as("dpkg keeps a hard link to a new file too").exists();
        assertThat(tree.resolve("usr/bin/tool")).as("the diverting package's file").hasContent("q's tool");
        assertThat(tree.resolve("lib")).as("another package lists /lib").isSymbolicLink();
        assertThat(tree.resolve("usr/share/common")).as("another package lists it").isDirectory();
        assertThat(tree.resolve("usr/share/p")).as("not empty: its looping link stays").isDirectory();
        assertThat(removed.activating()).contains("/usr/share/p", "/lib/p", "/usr/share/p/gone")
                .doesNotContain("/lib", "/lib/p/moved", "/usr/share/common");
    }

    private static String paragraph(String name) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0\n"
                + "Maintainer: Dormant tests <tests@dormant.invalid>\nDescription: obsolete files test\n";
    }
}
