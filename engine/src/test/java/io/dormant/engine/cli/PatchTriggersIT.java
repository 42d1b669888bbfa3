package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The triggers of an installed package that a patch activates run, whatever the name dpkg files
 * the interest under: a Multi-Arch: same package is {@code name:arch} in {@code triggers/File}
 * (libgdk-pixbuf-2.0-0:amd64 rebuilding its loaders cache when a loader is installed); an interest
 * whose package the image does not have is passed over, as dpkg does, and named in the report.
 */
class PatchTriggersIT {

    @RegisterExtension
    final DormantHome home = DormantHome.named("patch-triggers");
    private Path temp;
    private DormantProcess dormant;

    @BeforeEach
    void importImage() throws Exception {
        temp = home.temp();
        dormant = home.dormant();
        home.importBase();
    }

    @Test
    void aFileTriggerOfAMultiArchSamePackageRunsItsPostinst() throws Exception {
        String architecture = Commands.run("dpkg", "--print-architecture").strip();
        Path loaders = TestDebs.build(temp, "dormant-loaders", "1.0", architecture, "Multi-Arch: same\n",
                "interest-noawait /usr/lib/dormant-loaders\n",
                "set -e\nif [ \"$1\" = triggered ]; then ls /usr/lib/dormant-loaders > /var/lib/dormant-loaders.cache; fi\n",
                null, null);
        Path plugin = TestDebs.build(temp, "dormant-plugin", "1.0", architecture, "", null, null,
                "usr/lib/dormant-loaders/plugin.so", "a loader\n");
        assertThat(dormant.run("patch", "apply", "base", "--install-new", loaders.toString()).exitCode()).isZero();

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "base@2", "--install-new", plugin.toString());

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        Path exported = temp.resolve("exported");
        assertThat(dormant.run("image", "export", "base@3", exported.toString()).exitCode()).isZero();
        assertThat(Files.readString(exported.resolve("var/lib/dpkg/triggers/File")))
                .contains("/usr/lib/dormant-loaders dormant-loaders:" + architecture + "/noawait");
        assertThat(exported.resolve("var/lib/dormant-loaders.cache")).as("the triggered postinst ran").hasContent("plugin.so");
        assertThat(applied.output()).contains("dormant-loaders").contains("postinst triggered /usr/lib/dormant-loaders");
        assertThat(Commands.run("dpkg", "--root=" + exported, "--audit")).isEmpty();
    }

    @Test
    void aStaleInterestIsPassedOverAndNamedInTheReport() throws Exception {
        Path rootfs = temp.resolve("stale-rootfs");
        Commands.run("cp", "-a", "--reflink=auto", TestRootfs.debian().toString(), rootfs.toString());
        Files.writeString(rootfs.resolve("var/lib/dpkg/triggers/File"), "/usr/lib/dormant-loaders dormant-gone\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(dormant.run("image", "import", "stale", rootfs.toString()).exitCode()).isZero();
        Path plugin = TestDebs.build(temp, "dormant-plugin", "1.0", Commands.run("dpkg", "--print-architecture").strip(),
                "", null, null, "usr/lib/dormant-loaders/plugin.so", "a loader\n");

        DormantProcess.Outcome applied = dormant.run("patch", "apply", "stale", "--install-new", plugin.toString());

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("note: /var/lib/dpkg/triggers/File name dormant-gone as interested in"
                + " /usr/lib/dormant-loaders, but the image's status has no such package");
    }
}
