package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The maintainer scripts of an apply, against dpkg itself: every script of the test packages
 * appends its package, name, arguments, its package's status and what dpkg-query tells of every
 * test package (status, Config-Version, Triggers-Pending, Triggers-Awaited) to a log in the image,
 * and the log Dormant's apply leaves must be the one {@code dpkg --root -i} leaves in a copy of the
 * same tree. Covered: upgrades, a new package and one left as config-files, conffile records,
 * triggered postinsts and the trigger states before them (file, explicit and dpkg-trigger
 * activations, awaited and not), a package that disappears, and the packages dpkg deconfigures on
 * the way (with --auto-deconfigure, as apt runs it) for a Breaks and for the other instance of a
 * Multi-Arch: same package.
 */
class DpkgScriptOrderIT {

    private static final String LOG = "var/log/dormant-script-order.log";

    @RegisterExtension
    final DormantHome home = DormantHome.named("dpkg-script-order");
    private Path temp;
    private Path dpkgRoot;
    private DormantProcess dormant;

    @BeforeEach
    void setUp() throws Exception {
        temp = home.temp();
        dpkgRoot = temp.resolve("dpkg-root");
        Commands.run("cp", "-a", TestRootfs.debian().toString(), dpkgRoot.toString());
        dormant = home.dormant();
    }

    @Test
    void aPackageThatTheNextOneBreaksIsDeconfiguredBeforeItsUnpackAndConfiguredAgain() throws Exception {
        dpkg(build("dormant-a", "1", "all", ""), build("dormant-b", "1", "all", ""));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path a2 = build("dormant-a", "2", "all", "Breaks: dormant-b (<< 2)\n");
        Path b2 = build("dormant-b", "2", "all", "");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", a2.toString(), b2.toString());
        dpkg(a2, b2);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("De-configuring dormant-b (1), to allow installation of dormant-a (2)");
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log")
                .contains("dormant-b prerm deconfigure in-favour dormant-a 2 [install ok half-configured]");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void theOtherInstanceOfAMultiArchSamePackageIsDeconfiguredUntilItIsUpgradedToo() throws Exception {
        String native_ = Commands.run("dpkg", "--print-architecture").strip();
        String foreign = native_.equals("i386") ? "amd64" : "i386";
        Commands.run("dpkg", "--root=" + dpkgRoot, "--add-architecture", foreign);
        dpkg(build("dormant-lib", "1", native_, "Multi-Arch: same\n"), build("dormant-lib", "1", foreign, "Multi-Arch: same\n"));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path nativeV2 = build("dormant-lib", "2", native_, "Multi-Arch: same\n");
        Path foreignV2 = build("dormant-lib", "2", foreign, "Multi-Arch: same\n");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", nativeV2.toString(), foreignV2.toString());
        dpkg(nativeV2, foreignV2);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log")
                .contains("dormant-lib:" + foreign + " prerm deconfigure in-favour dormant-lib:" + native_ + " 2");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void aNewPackageAndOneLeftAsConfigFilesSeeTheArgumentsAndStatesDpkgGivesThem() throws Exception {
        dpkg(build("dormant-gone", "1", "all", ""));
        Commands.run("dpkg", "--root=" + dpkgRoot, "--remove", "dormant-gone");
        assertThat(Commands.run("dpkg-query", "--root=" + dpkgRoot, "-W", "-f=${Status}", "dormant-gone"))
                .as("dpkg keeps a removed package with a postrm as config-files").isEqualTo("deinstall ok config-files");
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path again = build("dormant-gone", "2", "all", "");
        Path added = build("dormant-new", "1", "all", "Multi-Arch: foreign\n");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", "--install-new", again.toString(), added.toString());
        dpkg(again, added);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log")
                .contains("dormant-gone preinst install 1 2 [install reinstreq half-installed]")
                .contains("dormant-new preinst install [install reinstreq half-installed]");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void aTriggeredPostinstRunsWithItsPackageHalfConfigured() throws Exception {
        dpkg(build("dormant-t", "1", "all", "", "interest /usr/share/dormant-t\n", (String[]) null));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path activating = build("dormant-u", "1", "all", "", null, "usr/share/dormant-t/one");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", "--install-new", activating.toString());
        dpkg(activating);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log")
                .contains("dormant-t postinst triggered /usr/share/dormant-t [install ok half-configured]");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void triggerStatesAreThoseDpkgRecordsBetweenActivationAndTheTriggeredRun() throws Exception {
        // dormant-t is interested in two paths, awaited, and in explicit triggers, one without await;
        // dormant-u activates both paths as it is unpacked, dormant-v the noawait one as it is
        // processed, dormant-w the awaited one with dpkg-trigger in its postinst; dormant-x is
        // configured last and logs what the others are then.
        dpkg(build("dormant-t", "1", "all", "", "interest /usr/share/dormant-t\ninterest /usr/share/dormant-t2\n"
                        + "interest-noawait dormant-t-explicit\ninterest dormant-t-called\n", (String[]) null),
                build("dormant-u", "1", "all", ""), build("dormant-v", "1", "all", ""), build("dormant-w", "1", "all", ""),
                build("dormant-x", "1", "all", ""));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path u2 = build("dormant-u", "2", "all", "", null, "usr/share/dormant-t/one", "usr/share/dormant-t2/two");
        Path v2 = build("dormant-v", "2", "all", "", "activate dormant-t-explicit\n");
        Path w2 = buildActivating("dormant-w", "2", "dormant-t-called");
        Path x2 = build("dormant-x", "2", "all", "");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", u2.toString(), v2.toString(), w2.toString(),
                x2.toString());
        dpkg(u2, v2, w2, x2);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log").contains("dormant-t=install ok triggers-pending")
                .contains("dormant-w=install ok triggers-awaited|1|| dormant-t");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void conffilesAreRecordedAsDpkgRecordsThemFromUnpackToConfigure() throws Exception {
        dpkg(build("dormant-c", "1", "all", "", null, "etc/dormant-c.conf", "etc/dormant-c-kept.conf"));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path upgrade = build("dormant-c", "2", "all", "", null, "etc/dormant-c.conf", "etc/dormant-c-new.conf");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", upgrade.toString());
        dpkg(upgrade);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log").contains("/etc/dormant-c-new.conf");
        assertSameLogAsDpkg("img@2");
    }

    @Test
    void aPackageWhoseFilesAreAllReplacedDisappearsAsInDpkg() throws Exception {
        // dormant-new takes over every file of dormant-old, one of dormant-kept's two and all of
        // dormant-needed's, which dormant-user depends on: only dormant-old disappears.
        dpkg(build("dormant-old", "1", "all", "", null, "usr/share/dormant-old/file"),
                build("dormant-kept", "1", "all", "", null, "usr/share/dormant-kept/taken", "usr/share/dormant-kept/left"),
                build("dormant-needed", "1", "all", "", null, "usr/share/dormant-needed/file"));
        dpkg(build("dormant-user", "1", "all", "Depends: dormant-needed\n"));
        assertThat(dormant.run("image", "import", "img", dpkgRoot.toString()).exitCode()).isZero();
        Path replacing = build("dormant-new", "1", "all", "Replaces: dormant-old, dormant-kept, dormant-needed\n", null,
                "usr/share/dormant-old/file", "usr/share/dormant-kept/taken", "usr/share/dormant-needed/file");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "img", "--install-new", replacing.toString());
        dpkg(replacing);

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(Files.readString(dpkgRoot.resolve(LOG))).as("dpkg's own log").contains("dormant-old postrm disappear dormant-new 1");
        assertThat(applied.output()).contains("dormant-old 1 disappeared");
        assertSameLogAsDpkg("img@2");
        Path exported = temp.resolve("exported");
        assertThat(Commands.run("dpkg-query", "--root=" + exported, "-W", "-f=${binary:Package} ${Status}\n", "dormant-*"))
                .isEqualTo(Commands.run("dpkg-query", "--root=" + dpkgRoot, "-W", "-f=${binary:Package} ${Status}\n", "dormant-*"));
        assertThat(exported.resolve("var/lib/dpkg/info/dormant-old.list")).doesNotExist();
        assertThat(exported.resolve("var/lib/dpkg/info/dormant-kept.list")).exists();
    }

    private void assertSameLogAsDpkg(String version) throws Exception {
        Path exported = temp.resolve("exported");
        assertThat(dormant.run("image", "export", version, exported.toString()).exitCode()).isZero();
        assertThat(Files.readString(exported.resolve(LOG))).isEqualTo(Files.readString(dpkgRoot.resolve(LOG)));
        assertThat(Commands.run("dpkg", "--root=" + exported, "--audit")).isEmpty();
    }

    private void dpkg(Path... debs) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + dpkgRoot, "--auto-deconfigure", "-i"));
        for (Path deb : debs) {
            command.add(deb.toString());
        }
        Commands.run(command.toArray(String[]::new));
    }

    /**
     * A package whose four scripts each log a line: "package[:arch] script arguments [its status]
     * {each test package=status|Config-Version|Triggers-Pending|Triggers-Awaited|Conffiles}".
     */
    private Path build(String name, String version, String architecture, String fields) throws Exception {
        return build(name, version, architecture, fields, null, (String[]) null);
    }

    /** As above, with a triggers file and files at {@code files} when given (those under etc/ are conffiles, of the version's content). */
    private Path build(String name, String version, String architecture, String fields, String triggers, String... files)
            throws Exception {
        return buildPackage(name, version, architecture, fields, triggers, "", files);
    }

    /** A package whose postinst configure activates {@code trigger} with dpkg-trigger (awaiting it) after it logs. */
    private Path buildActivating(String name, String version, String trigger) throws Exception {
        return buildPackage(name, version, "all", "", null, "if [ \"$1\" = configure ]; then dpkg-trigger " + trigger + "; fi\n",
                (String[]) null);
    }

    private Path buildPackage(String name, String version, String architecture, String fields, String triggers,
                              String postinstLine, String... files) throws Exception {
        Path root = temp.resolve("build-" + name + "-" + version + "-" + architecture);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: " + architecture + "\nMaintainer: Dormant tests <tests@dormant.invalid>\n" + fields
                + "Description: script order test package\n");
        String label = fields.contains("Multi-Arch: same") ? name + ":" + architecture : name;
        for (String script : List.of("preinst", "prerm", "postinst", "postrm")) {
            Path path = root.resolve("DEBIAN/" + script);
            Files.writeString(path, "#!/bin/sh\nset -e\nstate=$(dpkg-query -W -f='${Status}' " + label + " 2>/dev/null || true)\n"
                    + "all=$(dpkg-query -W -f='${binary:Package}=${Status}|${Config-Version}|${Triggers-Pending}|${Triggers-Awaited}"
                    + "|${Conffiles} ' 'dormant-*' 2>/dev/null | tr '\\n' ';' || true)\n"
                    + "echo \"" + label + " " + script + " $* [$state] {$all}\" >> /" + LOG + "\n"
                    + (script.equals("postinst") ? postinstLine : ""));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (triggers != null) {
            Files.writeString(root.resolve("DEBIAN/triggers"), triggers);
        }
        StringBuilder conffiles = new StringBuilder();
        for (String file : files == null ? new String[0] : files) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), file.startsWith("etc/") ? name + " " + version + "\n" : name + "\n");
            if (file.startsWith("etc/")) {
                conffiles.append('/').append(file).append('\n');
            }
        }
        if (!conffiles.isEmpty()) {
            Files.writeString(root.resolve("DEBIAN/conffiles"), conffiles);
        }
        Path deb = temp.resolve(name + "_" + version + "_" + architecture + ".deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }
}
