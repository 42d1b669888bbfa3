package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conffiles across upgrades, against dpkg itself: the same packages are applied by Dormant and
 * installed by {@code dpkg --root} into a copy of the same tree, and the package's status
 * paragraph, file list and configuration directory must come out the same. The upgrades mark
 * conffiles {@code remove-on-upgrade} (one unchanged, one the admin edited), drop conffiles (one on
 * disk, one the admin deleted), turn a conffile into a plain file, and add one; the next upgrade no
 * longer names the ones marked.
 */
class ConffileUpgradeIT {

    private static final String DIR = "etc/dormant-conf";

    private Path temp;
    private Path dpkgRoot;
    private DormantProcess dormant;

    @BeforeEach
    void setUp() throws Exception {
        Path rootfs = TestRootfs.debian();
        temp = Files.createTempDirectory(Path.of("/var/tmp"), "conffile-upgrade-");
        dpkgRoot = temp.resolve("dpkg-root");
        Commands.run("cp", "-a", rootfs.toString(), dpkgRoot.toString());
        dormant = new DormantProcess(Map.of("DORMANT_HOME", temp.resolve("home").toString(),
                "DORMANT_CHECKOUTS", temp.resolve("checkouts").toString()), temp.resolve("cli.log"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        dormant.run("db", "stop");
        Commands.run("rm", "-rf", "--one-file-system", temp.toString());
    }

    @Test
    void conffilesMarkedDroppedOrDemotedEndAsDpkgLeavesThem() throws Exception {
        Path v1 = build("1.0", Map.of("keep.conf", "keep 1\n", "gone.conf", "gone\n", "edited-gone.conf", "edited-gone\n",
                        "dropped.conf", "dropped\n", "missing.conf", "missing\n", "demoted.conf", "demoted 1\n"),
                "keep.conf gone.conf edited-gone.conf dropped.conf missing.conf demoted.conf");
        dpkg(v1);
        Files.writeString(dpkgRoot.resolve(DIR + "/edited-gone.conf"), "changed by the admin\n");
        Files.delete(dpkgRoot.resolve(DIR + "/missing.conf"));
        assertThat(dormant.run("image", "import", "conf", dpkgRoot.toString()).exitCode()).isZero();

        Path v2 = build("2.0", Map.of("keep.conf", "keep 1\n", "demoted.conf", "demoted 2\n", "new.conf", "new\n"),
                "keep.conf remove-on-upgrade:gone.conf remove-on-upgrade:edited-gone.conf new.conf");
        DormantProcess.Outcome applied = dormant.run("patch", "apply", "conf", v2.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        dpkg(v2);
        assertSameAsDpkg("conf@2");
        assertThat(dpkgRoot.resolve(DIR + "/edited-gone.conf.dpkg-old")).as("dpkg's own result").exists();
        assertThat(dpkgRoot.resolve(DIR + "/gone.conf")).as("dpkg's own result").doesNotExist();

        Path v3 = build("3.0", Map.of("keep.conf", "keep 1\n", "demoted.conf", "demoted 2\n", "new.conf", "new\n"),
                "keep.conf new.conf");
        applied = dormant.run("patch", "apply", "conf@2", v3.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        dpkg(v3);
        assertSameAsDpkg("conf@3");
    }

    @Test
    void aPackageThatShipsAConffileItMarksForRemovalIsRefused() throws Exception {
        assertThat(dormant.run("image", "import", "conf", dpkgRoot.toString()).exitCode()).isZero();
        Path v1 = build("1.0", Map.of("keep.conf", "keep 1\n"), "keep.conf");
        Path shipsIt = temp.resolve("ships-it.deb");
        // dpkg-deb refuses to build it, so the conffiles member is changed after the build
        Path unpacked = temp.resolve("ships-it");
        Commands.run("dpkg-deb", "-R", v1.toString(), unpacked.toString());
        Files.writeString(unpacked.resolve("DEBIAN/conffiles"), "remove-on-upgrade /" + DIR + "/keep.conf\n");
        Commands.run("dpkg-deb", "--root-owner-group", "--nocheck", "-Zgzip", "--build", unpacked.toString(), shipsIt.toString());

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "conf", "--install-new", shipsIt.toString());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output()).contains("ships-it.deb").contains("/" + DIR + "/keep.conf")
                .contains("remove-on-upgrade, yet the package ships it");
        assertThat(dormant.run("image", "versions", "conf").output()).doesNotContain("conf@2");
    }

    private void assertSameAsDpkg(String version) throws Exception {
        Path exported = temp.resolve("exported-" + version.replace('@', '-'));
        assertThat(dormant.run("image", "export", version, exported.toString()).exitCode()).isZero();
        assertThat(paragraph(exported)).as("status paragraph, Dormant's %s against dpkg's", version).isEqualTo(paragraph(dpkgRoot));
        for (String info : new String[] {"dormant-conf.list", "dormant-conf.md5sums", "dormant-conf.conffiles"}) {
            assertThat(Files.readString(exported.resolve("var/lib/dpkg/info/" + info)))
                    .as("%s in %s", info, version).isEqualTo(Files.readString(dpkgRoot.resolve("var/lib/dpkg/info/" + info)));
        }
        assertThat(Commands.run("rsync", "-rlpgoDnc", "--itemize-changes", "--delete",
                dpkgRoot.resolve(DIR) + "/", exported.resolve(DIR) + "/")).as("/%s, dpkg's against Dormant's %s", DIR, version).isEmpty();
    }

    private static String paragraph(Path root) throws Exception {
        return Arrays.stream(Files.readString(root.resolve("var/lib/dpkg/status")).split("\n\n"))
                .filter(p -> p.startsWith("Package: dormant-conf\n")).findFirst().orElse("(none)");
    }

    private void dpkg(Path deb) throws Exception {
        Commands.run("dpkg", "--root=" + dpkgRoot, "--force-confold", "-i", deb.toString());
    }

    /**
     * @param files     name under /etc/dormant-conf to content
     * @param conffiles names, in the conffiles member's order; "remove-on-upgrade:name" marks one
     */
    private Path build(String version, Map<String, String> files, String conffiles) throws Exception {
        Path root = temp.resolve("build-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve(DIR));
        for (Map.Entry<String, String> file : new LinkedHashMap<>(files).entrySet()) {
            Files.writeString(root.resolve(DIR).resolve(file.getKey()), file.getValue());
        }
        Files.writeString(root.resolve("DEBIAN/control"), "Package: dormant-conf\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: Dormant tests <tests@dormant.invalid>\nDescription: conffile test package\n");
        StringBuilder list = new StringBuilder();
        for (String name : conffiles.split(" ")) {
            list.append(name.startsWith("remove-on-upgrade:")
                    ? "remove-on-upgrade /" + DIR + "/" + name.substring("remove-on-upgrade:".length()) : "/" + DIR + "/" + name).append('\n');
        }
        Files.writeString(root.resolve("DEBIAN/conffiles"), list.toString());
        Path deb = temp.resolve("dormant-conf_" + version + "_all.deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }
}
