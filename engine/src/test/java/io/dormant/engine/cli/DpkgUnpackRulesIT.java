package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dpkg's unpack rules, against dpkg itself: the same packages are applied by Dormant and installed
 * by {@code dpkg --root} into a copy of the same tree, and the packages' status paragraphs, file
 * lists and files must come out the same. Covered: conffiles across upgrades (marked
 * {@code remove-on-upgrade}, dropped while on disk or after the admin deleted them, turned into a
 * plain file, added; changed, deleted, made or linked by the admin, with the image's conffile
 * options or without) and files that move between packages (taken over with Replaces, kept by an
 * installed package that replaces the new one, refused without Replaces), links over directories,
 * the image's path filters, and the removal of obsolete files (a file moved to its merged-/usr
 * alias stays, a diverted one goes where the diversion put it), and Multi-Arch: same instances
 * upgraded together or, refused, alone, or giving a shared file up to another package together.
 */
class DpkgUnpackRulesIT {

    private static final String CONF = "etc/dormant-conf";
    private static final String SHARE = "usr/share/dormant-takeover";

    @RegisterExtension
    final DormantHome home = DormantHome.named("dpkg-unpack-rules");
    private Path temp;
    private Path dpkgRoot;
    private DormantProcess dormant;

    @BeforeEach
    void setUp() throws Exception {
        Path rootfs = TestRootfs.debian();
        temp = home.temp();
        dpkgRoot = temp.resolve("dpkg-root");
        Commands.run("cp", "-a", rootfs.toString(), dpkgRoot.toString());
        dormant = home.dormant();
    }

    @Test
    void conffilesMarkedDroppedOrDemotedEndAsDpkgLeavesThem() throws Exception {
        Path v1 = build("dormant-conf", "1.0", "", Map.of(CONF + "/keep.conf", "keep 1\n", CONF + "/gone.conf", "gone\n",
                        CONF + "/edited-gone.conf", "edited-gone\n", CONF + "/dropped.conf", "dropped\n",
                        CONF + "/missing.conf", "missing\n", CONF + "/demoted.conf", "demoted 1\n"),
                conffiles("keep.conf gone.conf edited-gone.conf dropped.conf missing.conf demoted.conf"));
        dpkg(v1);
        Files.writeString(dpkgRoot.resolve(CONF + "/edited-gone.conf"), "changed by the admin\n");
        Files.delete(dpkgRoot.resolve(CONF + "/missing.conf"));
        importImage();

        Path v2 = build("dormant-conf", "2.0", "", Map.of(CONF + "/keep.conf", "keep 1\n", CONF + "/demoted.conf", "demoted 2\n",
                CONF + "/new.conf", "new\n"), conffiles("keep.conf remove-on-upgrade:gone.conf remove-on-upgrade:edited-gone.conf new.conf"));
        applyAndDpkg("img", v2, false);
        assertSameAsDpkg("img@2", List.of("dormant-conf"), CONF);
        assertThat(dpkgRoot.resolve(CONF + "/edited-gone.conf.dpkg-old")).as("dpkg's own result").exists();
        assertThat(dpkgRoot.resolve(CONF + "/gone.conf")).as("dpkg's own result").doesNotExist();

        Path v3 = build("dormant-conf", "3.0", "", Map.of(CONF + "/keep.conf", "keep 1\n", CONF + "/demoted.conf", "demoted 2\n",
                CONF + "/new.conf", "new\n"), conffiles("keep.conf new.conf"));
        applyAndDpkg("img@2", v3, false);
        assertSameAsDpkg("img@3", List.of("dormant-conf"), CONF);
    }

    /**
     * dpkg's conffile decisions (deferred_configure_conffile) for each way the admin and the package
     * may have changed a conffile, with the image's dpkg told nothing (dpkg here gets
     * --force-confold, what it would otherwise ask on a terminal).
     */
    @Test
    void conffilesTheAdminChangedDeletedOrMadeEndAsDpkgLeavesThem() throws Exception {
        dpkg(conffileStates("1.0", "1"));
        adminChangesConffiles();
        importImage();

        applyAndDpkg("img", conffileStates("2.0", "2"), false);

        assertSameAsDpkg("img@2", List.of("dormant-conf"), CONF);
        assertThat(dpkgRoot.resolve(CONF + "/deleted-same.conf")).as("dpkg's own result").doesNotExist();
        assertThat(dpkgRoot.resolve(CONF + "/deleted-dist.conf")).as("dpkg's own result").doesNotExist();
        assertThat(dpkgRoot.resolve(CONF + "/deleted-dist.conf.dpkg-dist")).as("dpkg's own result").hasContent("deleted-dist 2");
        assertThat(dpkgRoot.resolve(CONF + "/linked.conf")).as("dpkg's own result").isSymbolicLink();
        // dpkg unpacks beside the link, then looks beside the file behind it: the file stays as it was
        assertThat(dpkgRoot.resolve(CONF + "/kept/linked.conf")).as("dpkg's own result").hasContent("linked 1");
        assertThat(dpkgRoot.resolve(CONF + "/linked.conf.dpkg-new")).as("dpkg's own result").hasContent("linked 2");
        assertThat(Files.getPosixFilePermissions(dpkgRoot.resolve(CONF + "/chmod.conf"))).as("dpkg's own result")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    }

    /** The same with the image's dpkg configured to take the package's version ({@code force-confnew}, {@code force-confmiss}). */
    @Test
    void conffilesFollowTheImagesForceConfnewAndConfmissAsDpkgDoes() throws Exception {
        dpkg(conffileStates("1.0", "1"));
        adminChangesConffiles();
        Files.writeString(dpkgRoot.resolve("etc/dpkg/dpkg.cfg.d/dormant-conffiles"), "force-confnew\nforce-confmiss\n");
        importImage();

        Path v2 = conffileStates("2.0", "2");
        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", v2.toString());
        dpkg(List.of("--force-confnew", "--force-confmiss"), v2);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).doesNotContain("not followed").contains(CONF + "/edited-dist.conf.dpkg-old");
        assertSameAsDpkg("img@2", List.of("dormant-conf"), CONF);
        assertThat(dpkgRoot.resolve(CONF + "/edited-dist.conf.dpkg-old")).as("dpkg's own result").hasContent("admin's");
        assertThat(dpkgRoot.resolve(CONF + "/deleted-same.conf")).as("dpkg's own result").hasContent("deleted-same 1");
    }

    /** One conffile for each case, its content the version's where the case lets the package change it. */
    private Path conffileStates(String version, String content) throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        for (String same : List.of("same", "edited-same", "deleted-same")) {
            files.put(CONF + "/" + same + ".conf", same + " 1");
        }
        for (String dist : List.of("dist", "edited-dist", "deleted-dist", "linked", "chmod")) {
            files.put(CONF + "/" + dist + ".conf", dist + " " + content);
        }
        if (!version.equals("1.0")) {
            files.put(CONF + "/added.conf", "added");
        }
        return build("dormant-conf", version, "", files, conffiles(files.keySet().stream()
                .map(path -> path.substring(CONF.length() + 1)).collect(java.util.stream.Collectors.joining(" "))));
    }

    /**
     * Edits two conffiles, deletes two, makes a file where the next version adds a conffile, keeps
     * one elsewhere behind a link, and changes the mode of one.
     */
    private void adminChangesConffiles() throws Exception {
        Files.createDirectories(dpkgRoot.resolve(CONF + "/kept"));
        Files.move(dpkgRoot.resolve(CONF + "/linked.conf"), dpkgRoot.resolve(CONF + "/kept/linked.conf"));
        Files.createSymbolicLink(dpkgRoot.resolve(CONF + "/linked.conf"), Path.of("kept/linked.conf"));
        Commands.run("chmod", "0640", dpkgRoot.resolve(CONF + "/chmod.conf").toString());
        Files.writeString(dpkgRoot.resolve(CONF + "/edited-same.conf"), "admin's");
        Files.writeString(dpkgRoot.resolve(CONF + "/edited-dist.conf"), "admin's");
        Files.delete(dpkgRoot.resolve(CONF + "/deleted-same.conf"));
        Files.delete(dpkgRoot.resolve(CONF + "/deleted-dist.conf"));
        Files.writeString(dpkgRoot.resolve(CONF + "/added.conf"), "admin's");
    }

    @Test
    void aPackageThatShipsAConffileItMarksForRemovalIsRefused() throws Exception {
        importImage();
        Path v1 = build("dormant-conf", "1.0", "", Map.of(CONF + "/keep.conf", "keep 1\n"), conffiles("keep.conf"));
        Path shipsIt = temp.resolve("ships-it.deb");
        // dpkg-deb refuses to build it, so the conffiles member is changed after the build
        Path unpacked = temp.resolve("ships-it");
        Commands.run("dpkg-deb", "-R", v1.toString(), unpacked.toString());
        Files.writeString(unpacked.resolve("DEBIAN/conffiles"), "remove-on-upgrade /" + CONF + "/keep.conf\n");
        Commands.run("dpkg-deb", "--root-owner-group", "--nocheck", "-Zgzip", "--build", unpacked.toString(), shipsIt.toString());

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "img", "--install-new", shipsIt.toString());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output()).contains("ships-it.deb").contains("/" + CONF + "/keep.conf")
                .contains("remove-on-upgrade, yet the package ships it");
        assertNoNewVersion();
    }

    @Test
    void filesMovedBetweenPackagesFollowReplacesAsDpkgDoes() throws Exception {
        Path a = build("dormant-a", "1.0", "Replaces: dormant-d\n", Map.of(SHARE + "/moving.txt", "from a\n",
                SHARE + "/a-only.txt", "a\n", SHARE + "/kept-by-a.txt", "a keeps this\n", CONF + "/moving.conf", "conf of a\n"),
                "/" + CONF + "/moving.conf\n");
        dpkg(a);
        importImage();

        // b takes moving.txt and a's conffile over: Replaces names a at its installed version
        Path b = build("dormant-b", "1.0", "Replaces: dormant-a (<< 2.0)\n", Map.of(SHARE + "/moving.txt", "from b\n",
                CONF + "/moving.conf", "conf of b\n"), "/" + CONF + "/moving.conf\n");
        applyAndDpkg("img", b, true);
        assertSameAsDpkg("img@2", List.of("dormant-a", "dormant-b"), SHARE);
        assertSameAsDpkg("img@2", List.of("dormant-a", "dormant-b"), CONF);
        assertThat(Files.readString(dpkgRoot.resolve("var/lib/dpkg/info/dormant-a.list"))).as("dpkg's own result")
                .doesNotContain("moving.txt");

        // d ships a file a has; a, installed, replaces d: the file stays a's
        Path d = build("dormant-d", "1.0", "", Map.of(SHARE + "/kept-by-a.txt", "d would write this\n",
                SHARE + "/d-only.txt", "d\n"), null);
        applyAndDpkg("img@2", d, true);
        assertSameAsDpkg("img@3", List.of("dormant-a", "dormant-b", "dormant-d"), SHARE);
        assertThat(Files.readString(dpkgRoot.resolve(SHARE + "/kept-by-a.txt"))).as("dpkg's own result").isEqualTo("a keeps this\n");
    }

    @Test
    void aPackageThatOverwritesAnotherPackagesFileWithoutReplacesIsRefused() throws Exception {
        Path a = build("dormant-a", "1.0", "", Map.of(SHARE + "/moving.txt", "from a\n"), null);
        dpkg(a);
        importImage();
        Path c = build("dormant-c", "1.0", "", Map.of(SHARE + "/moving.txt", "c overwrites it\n"), null);

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "img", "--install-new", c.toString());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output()).contains("dormant-c_1.0_all.deb: trying to overwrite '/" + SHARE
                + "/moving.txt', which is also in package dormant-a (1.0)").contains("Replaces: dormant-a");
        assertNoNewVersion();
        assertThat(Commands.runStatus("dpkg", "--root=" + dpkgRoot, "-i", c.toString())).as("dpkg refuses it too").isNotZero();
    }

    @Test
    void aLinkOverADirectoryOrOverALinkToTheSameDirectoryLeavesItAsDpkgDoes() throws Exception {
        String links = "usr/share/dormant-links";
        Path v1 = build("dormant-links", "1.0", "", Map.of(links + "/real/y", "y\n", links + "/alias/x", "x\n"), null);
        Path v1Root = temp.resolve("build-dormant-links-1.0");
        // v1 also has a link written one way ...
        Files.createSymbolicLink(v1Root.resolve(links + "/same"), Path.of("real"));
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", v1Root.toString(), v1.toString());
        dpkg(v1);
        importImage();

        // ... which v2 writes another way to the same directory; and v2 turns the directory alias into a link
        Path v2 = build("dormant-links", "2.0", "", Map.of(links + "/real/y", "y\n"), null);
        Path v2Root = temp.resolve("build-dormant-links-2.0");
        Files.createSymbolicLink(v2Root.resolve(links + "/same"), Path.of("./real/"));
        Files.createSymbolicLink(v2Root.resolve(links + "/alias"), Path.of("real"));
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", v2Root.toString(), v2.toString());
        applyAndDpkg("img", v2, false);

        assertSameAsDpkg("img@2", List.of("dormant-links"), links);
        assertThat(Files.readSymbolicLink(dpkgRoot.resolve(links + "/same"))).as("dpkg's own result").isEqualTo(Path.of("real"));
        assertThat(dpkgRoot.resolve(links + "/alias")).as("dpkg's own result").isDirectory();
    }

    @Test
    void aFileMovedToItsMergedUsrAliasStaysAndOnlyTheDroppedOnesGoAsDpkgDoes() throws Exception {
        // The tree has merged /usr: /lib is a link to usr/lib, so /lib/x and /usr/lib/x are one file.
        assertThat(dpkgRoot.resolve("lib")).as("the test tree has merged /usr").isSymbolicLink();
        Path v1 = build("dormant-moves", "1.0", "", Map.of("lib/dormant-moves/moved.txt", "moved\n",
                "lib/dormant-moves/dropped.txt", "dropped\n"), null);
        dpkg(v1);
        importImage();

        Path v2 = build("dormant-moves", "2.0", "", Map.of("usr/lib/dormant-moves/moved.txt", "moved\n"), null);
        applyAndDpkg("img", v2, false);

        assertSameAsDpkg("img@2", List.of("dormant-moves"), "usr/lib/dormant-moves");
        assertThat(dpkgRoot.resolve("usr/lib/dormant-moves/moved.txt")).as("dpkg's own result").hasContent("moved");
        assertThat(dpkgRoot.resolve("usr/lib/dormant-moves/dropped.txt")).as("dpkg's own result").doesNotExist();
    }

    @Test
    void anObsoleteFileOfADivertedPathIsRemovedWhereTheDiversionPutItAsDpkgDoes() throws Exception {
        String dir = "usr/share/dormant-diverted";
        // dormant-diverter diverts dormant-tool's tool aside and ships its own
        Commands.run("dpkg-divert", "--root=" + dpkgRoot, "--package", "dormant-diverter", "--rename",
                "--divert", "/" + dir + "/tool.distrib", "--add", "/" + dir + "/tool");
        Path tool = build("dormant-tool", "1.0", "", Map.of(dir + "/tool", "the tool\n", dir + "/kept", "kept\n"), null);
        dpkg(tool);
        dpkg(build("dormant-diverter", "1.0", "", Map.of(dir + "/tool", "the diverter's tool\n"), null));
        importImage();

        Path v2 = build("dormant-tool", "2.0", "", Map.of(dir + "/kept", "kept\n"), null);
        applyAndDpkg("img", v2, false);

        assertSameAsDpkg("img@2", List.of("dormant-tool", "dormant-diverter"), dir);
        assertThat(dpkgRoot.resolve(dir + "/tool.distrib")).as("dpkg's own result").doesNotExist();
        assertThat(dpkgRoot.resolve(dir + "/tool")).as("dpkg's own result").hasContent("the diverter's tool");
    }

    @Test
    void multiArchSameInstancesUpgradedTogetherEndAsDpkgLeavesThem() throws Exception {
        Commands.run("dpkg", "--root=" + dpkgRoot, "--add-architecture", "i386");
        String doc = "usr/share/doc/dormant-multi";
        Path amd64 = buildArch("dormant-multi", "1.0", "amd64", Map.of(doc + "/shared.txt", "shared 1\n", doc + "/dropped.txt", "dropped\n",
                "usr/lib/x86_64-linux-gnu/dormant-multi.txt", "amd64 1\n"));
        Path i386 = buildArch("dormant-multi", "1.0", "i386", Map.of(doc + "/shared.txt", "shared 1\n", doc + "/dropped.txt", "dropped\n",
                "usr/lib/i386-linux-gnu/dormant-multi.txt", "i386 1\n"));
        Commands.run("dpkg", "--root=" + dpkgRoot, "-i", amd64.toString(), i386.toString());
        importImage();

        Path amd64v2 = buildArch("dormant-multi", "2.0", "amd64", Map.of(doc + "/shared.txt", "shared 2\n",
                "usr/lib/x86_64-linux-gnu/dormant-multi.txt", "amd64 2\n"));
        Path i386v2 = buildArch("dormant-multi", "2.0", "i386", Map.of(doc + "/shared.txt", "shared 2\n",
                "usr/lib/i386-linux-gnu/dormant-multi.txt", "i386 2\n"));
        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", amd64v2.toString(), i386v2.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        Commands.run("dpkg", "--root=" + dpkgRoot, "--force-confold", "-i", amd64v2.toString(), i386v2.toString());

        Path exported = temp.resolve("exported-img-2");
        assertThat(dormant.run("image", "export", "img@2", exported.toString()).exitCode()).isZero();
        assertThat(paragraphs(exported, "dormant-multi")).isEqualTo(paragraphs(dpkgRoot, "dormant-multi"));
        for (String info : new String[] {"dormant-multi:amd64.list", "dormant-multi:i386.list", "dormant-multi:amd64.md5sums",
                "dormant-multi:i386.md5sums"}) {
            assertThat(exported.resolve("var/lib/dpkg/info/" + info)).as(info).hasSameTextualContentAs(dpkgRoot.resolve("var/lib/dpkg/info/" + info));
        }
        for (String directory : new String[] {doc, "usr/lib/x86_64-linux-gnu", "usr/lib/i386-linux-gnu"}) {
            assertThat(Commands.run("rsync", "-rlpgoDnc", "--itemize-changes", "--delete", dpkgRoot.resolve(directory) + "/",
                    exported.resolve(directory) + "/")).as("/%s, dpkg's against Dormant's", directory).isEmpty();
        }
        assertThat(dpkgRoot.resolve(doc + "/dropped.txt")).as("dpkg's own result").doesNotExist();
    }

    @Test
    void aFileTakenFromBothInstancesOfAMultiArchSamePackageLeavesBothListsAsDpkgDoes() throws Exception {
        Commands.run("dpkg", "--root=" + dpkgRoot, "--add-architecture", "i386");
        String doc = "usr/share/doc/dormant-multi";
        Path amd64 = buildArch("dormant-multi", "1.0", "amd64", Map.of(doc + "/shared.txt", "shared 1\n",
                "usr/lib/x86_64-linux-gnu/dormant-multi.txt", "amd64 1\n"));
        Path i386 = buildArch("dormant-multi", "1.0", "i386", Map.of(doc + "/shared.txt", "shared 1\n",
                "usr/lib/i386-linux-gnu/dormant-multi.txt", "i386 1\n"));
        Commands.run("dpkg", "--root=" + dpkgRoot, "-i", amd64.toString(), i386.toString());
        importImage();

        Path taker = build("dormant-taker", "1.0", "Replaces: dormant-multi\n", Map.of(doc + "/shared.txt", "taken\n"), null);
        applyAndDpkg("img", taker, true);

        Path exported = temp.resolve("exported-img-2");
        assertThat(dormant.run("image", "export", "img@2", exported.toString()).exitCode()).isZero();
        assertThat(paragraphs(exported, "dormant-multi")).isEqualTo(paragraphs(dpkgRoot, "dormant-multi"));
        for (String info : new String[] {"dormant-multi:amd64.list", "dormant-multi:i386.list", "dormant-taker.list"}) {
            assertThat(exported.resolve("var/lib/dpkg/info/" + info)).as(info)
                    .hasSameTextualContentAs(dpkgRoot.resolve("var/lib/dpkg/info/" + info));
        }
        assertThat(Files.readString(dpkgRoot.resolve("var/lib/dpkg/info/dormant-multi:i386.list"))).as("dpkg's own result")
                .doesNotContain("shared.txt");
        assertThat(Commands.run("rsync", "-rlpgoDnc", "--itemize-changes", "--delete", dpkgRoot.resolve(doc) + "/",
                exported.resolve(doc) + "/")).as("/%s, dpkg's against Dormant's", doc).isEmpty();
    }

    @Test
    void aMultiArchSameInstanceUpgradedWithoutItsOtherIsRefusedAsDpkgRefusesToConfigureIt() throws Exception {
        Commands.run("dpkg", "--root=" + dpkgRoot, "--add-architecture", "i386");
        String doc = "usr/share/doc/dormant-multi";
        Path amd64 = buildArch("dormant-multi", "1.0", "amd64", Map.of(doc + "/shared.txt", "shared 1\n"));
        Path i386 = buildArch("dormant-multi", "1.0", "i386", Map.of(doc + "/shared.txt", "shared 1\n"));
        Commands.run("dpkg", "--root=" + dpkgRoot, "-i", amd64.toString(), i386.toString());
        importImage();
        Path amd64v2 = buildArch("dormant-multi", "2.0", "amd64", Map.of(doc + "/shared.txt", "shared 2\n"));

        DormantProcess.Outcome outcome = dormant.run("patch", "apply", "img", amd64v2.toString());

        assertThat(outcome.exitCode()).as(outcome.output()).isNotZero();
        assertThat(outcome.output()).contains("dormant-multi:i386");
        assertNoNewVersion();
        assertThat(Commands.runStatus("dpkg", "--root=" + dpkgRoot, "-i", amd64v2.toString())).as("dpkg refuses it too").isNotZero();
    }

    @Test
    void theImagesDpkgPathFiltersAreFollowedAsDpkgFollowsThem() throws Exception {
        String doc = "usr/share/doc/dormant-docs";
        String etc = "etc/dormant-docs";
        Path v1 = build("dormant-docs", "1.0", "", Map.of(doc + "/copyright", "c 1\n", doc + "/README", "r 1\n",
                "usr/share/man/man1/dormant-docs.1", "m 1\n", "usr/share/locale/de/LC_MESSAGES/dormant-docs.mo", "l 1\n",
                "usr/share/dormant-docs/data", "d 1\n", etc + "/excluded.conf", "e 1\n", etc + "/kept.conf", "k 1\n"),
                "/" + etc + "/excluded.conf\n/" + etc + "/kept.conf\n");
        dpkg(v1);
        // The admin slims the image afterwards, as a container-style image does from the start.
        List<String> filters = List.of("path-exclude=/usr/share/doc/*", "path-include=/usr/share/doc/*/copyright",
                "path-exclude /usr/share/man/*", "path-exclude \"/usr/share/locale/*\"",
                "path-include=/usr/share/locale/locale.alias", "path-exclude=/" + etc + "/excluded.conf");
        Files.createDirectories(dpkgRoot.resolve("etc/dpkg/dpkg.cfg.d"));
        Files.writeString(dpkgRoot.resolve("etc/dpkg/dpkg.cfg.d/excludes"), "# as a slim image has them\n"
                + String.join("\n", filters) + "\n");
        importImage();
        // dpkg --root reads the host's configuration, not the tree's: the same filters go on its command line.
        List<String> options = filters.stream().map(f -> "--" + f.replaceFirst("[ =]", "=").replace("\"", "")).toList();

        Path v2 = build("dormant-docs", "2.0", "", Map.of(doc + "/copyright", "c 2\n", doc + "/README", "r 2\n",
                doc + "/NEWS", "n 2\n", "usr/share/man/man1/dormant-docs.1", "m 2\n",
                "usr/share/locale/de/LC_MESSAGES/dormant-docs.mo", "l 2\n", "usr/share/locale/locale.alias", "a 2\n",
                "usr/share/dormant-docs/data", "d 2\n", etc + "/excluded.conf", "e 2\n", etc + "/kept.conf", "k 2\n"),
                "/" + etc + "/excluded.conf\n/" + etc + "/kept.conf\n");
        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", v2.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("listed files not unpacked: the image's dpkg path filters exclude them");
        dpkg(options, v2);
        // A package new to the image, with a link to its documentation directory.
        Path fresh = build("dormant-fresh", "1.0", "", Map.of("usr/share/doc/dormant-fresh/copyright", "c\n",
                "usr/share/doc/dormant-fresh/changelog", "ch\n", "usr/share/man/man8/dormant-fresh.8", "m\n",
                "usr/share/dormant-fresh/data", "d\n"), null);
        Path freshRoot = temp.resolve("build-dormant-fresh-1.0");
        Files.createSymbolicLink(freshRoot.resolve("usr/share/doc/dormant-fresh-data"), Path.of("dormant-fresh"));
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", freshRoot.toString(), fresh.toString());
        applied = dormant.run("patch", "apply", "img@2", "--install-new", fresh.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        dpkg(options, fresh);

        for (String directory : List.of("usr/share", etc)) {
            assertSameAsDpkg("img@3", List.of("dormant-docs", "dormant-fresh"), directory);
        }
        assertThat(dpkgRoot.resolve(doc + "/README")).as("dpkg's own result: a filtered entry counts as gone from the archive").doesNotExist();
        assertThat(dpkgRoot.resolve(doc + "/copyright")).as("dpkg's own result").hasContent("c 2");
        assertThat(dpkgRoot.resolve("usr/share/doc/dormant-fresh-data")).as("dpkg's own result: a link is reincluded").isSymbolicLink();
        assertThat(dpkgRoot.resolve(etc + "/excluded.conf")).as("dpkg's own result").hasContent("e 1");
        assertThat(Files.readString(dpkgRoot.resolve("var/lib/dpkg/info/dormant-docs.list"))).as("dpkg's own result")
                .contains("/" + doc + "/README");
    }

    private void importImage() throws Exception {
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
    }

    private void applyAndDpkg(String version, Path deb, boolean installNew) throws Exception {
        DormantProcess.Outcome applied = installNew ? dormant.run("patch", "apply", version, "--install-new", deb.toString())
                : dormant.run("patch", "apply", version, deb.toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        dpkg(deb);
    }

    private void assertNoNewVersion() throws Exception {
        assertThat(dormant.run("image", "versions", "img").output()).contains("img@1").doesNotContain("img@2");
    }

    private void assertSameAsDpkg(String version, List<String> packages, String directory) throws Exception {
        Path exported = temp.resolve("exported-" + version.replace('@', '-'));
        if (!Files.exists(exported)) {
            assertThat(dormant.run("image", "export", version, exported.toString()).exitCode()).isZero();
        }
        for (String pkg : packages) {
            assertThat(paragraph(exported, pkg)).as("status of %s, Dormant's %s against dpkg's", pkg, version)
                    .isEqualTo(paragraph(dpkgRoot, pkg));
            for (String info : new String[] {".list", ".md5sums", ".conffiles"}) {
                Path ours = exported.resolve("var/lib/dpkg/info/" + pkg + info);
                Path theirs = dpkgRoot.resolve("var/lib/dpkg/info/" + pkg + info);
                assertThat(Files.exists(ours)).as("%s%s in %s", pkg, info, version).isEqualTo(Files.exists(theirs));
                if (Files.exists(theirs)) {
                    assertThat(Files.readString(ours)).as("%s%s in %s", pkg, info, version).isEqualTo(Files.readString(theirs));
                }
            }
        }
        assertThat(Commands.run("rsync", "-rlpgoDnc", "--itemize-changes", "--delete",
                dpkgRoot.resolve(directory) + "/", exported.resolve(directory) + "/")).as("/%s, dpkg's against Dormant's %s", directory, version)
                .isEmpty();
    }

    private static List<String> paragraphs(Path root, String pkg) throws Exception {
        return Arrays.stream(Files.readString(root.resolve("var/lib/dpkg/status")).split("\n\n"))
                .filter(p -> p.startsWith("Package: " + pkg + "\n")).sorted().toList();
    }

    private static String paragraph(Path root, String pkg) throws Exception {
        return Arrays.stream(Files.readString(root.resolve("var/lib/dpkg/status")).split("\n\n"))
                .filter(p -> p.startsWith("Package: " + pkg + "\n")).findFirst().orElse("(none)");
    }

    private void dpkg(Path deb) throws Exception {
        dpkg(List.of(), deb);
    }

    private void dpkg(List<String> options, Path deb) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg", "--root=" + dpkgRoot, "--force-confold"));
        command.addAll(options);
        command.addAll(List.of("-i", deb.toString()));
        Commands.run(command.toArray(String[]::new));
    }

    /** "a.conf remove-on-upgrade:b.conf" as a conffiles member for files under /etc/dormant-conf. */
    private static String conffiles(String names) {
        StringBuilder list = new StringBuilder();
        for (String name : names.split(" ")) {
            list.append(name.startsWith("remove-on-upgrade:")
                    ? "remove-on-upgrade /" + CONF + "/" + name.substring("remove-on-upgrade:".length()) : "/" + CONF + "/" + name).append('\n');
        }
        return list.toString();
    }

    /** A Multi-Arch: same package of one architecture, files only. */
    private Path buildArch(String name, String version, String architecture, Map<String, String> files) throws Exception {
        Path root = temp.resolve("build-" + name + "-" + version + "-" + architecture);
        Files.createDirectories(root.resolve("DEBIAN"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.writeString(root.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version + "\nArchitecture: "
                + architecture + "\nMulti-Arch: same\nMaintainer: Dormant tests <tests@dormant.invalid>\n"
                + "Description: unpack rules test package\n");
        Path deb = temp.resolve(name + "_" + version + "_" + architecture + ".deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }

    /**
     * @param fields    more control fields, each line ending in a newline
     * @param files     path in the image (relative) to content
     * @param conffiles the conffiles member, or null for none
     */
    private Path build(String name, String version, String fields, Map<String, String> files, String conffiles) throws Exception {
        Path root = temp.resolve("build-" + name + "-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.writeString(root.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: Dormant tests <tests@dormant.invalid>\n" + fields
                + "Description: unpack rules test package\n");
        if (conffiles != null) {
            Files.writeString(root.resolve("DEBIAN/conffiles"), conffiles);
        }
        Path deb = temp.resolve(name + "_" + version + "_all.deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }
}
