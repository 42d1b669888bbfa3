package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DebTriggers;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgTriggerInterest;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trigger interest files as dpkg leaves them after it records a package's new control files. */
class TriggerInterestsTest {

    @TempDir
    Path tree;

    @Test
    void anUpgradedPackagesFileInterestsMoveToTheEndEvenWhenUnchanged() throws IOException {
        write("File", """
                /usr/lib/binfmt.d systemd/noawait
                /etc/mysql mariadb-server/noawait
                /etc/systemd/system/mariadb.service.d mariadb-server/noawait
                /usr/share/postgresql postgresql-common/noawait
                /usr/share/xml sgml-base
                /usr/share/glib-2.0/schemas libglib2.0-0:amd64
                """);
        DebTriggers mariadb = triggers("interest-noawait /etc/mysql\ninterest-noawait /etc/systemd/system/mariadb.service.d\n");
        DebTriggers postgresql = triggers("interest-noawait /usr/share/postgresql\n");
        TriggerInterests interests = interests();

        assertThat(interests.replace("mariadb-server", mariadb, "mariadb-server", mariadb)).isTrue();
        assertThat(interests.replace("postgresql-common", postgresql, "postgresql-common", postgresql)).isTrue();

        assertThat(read("File")).isEqualTo("""
                /usr/lib/binfmt.d systemd/noawait
                /usr/share/xml sgml-base
                /usr/share/glib-2.0/schemas libglib2.0-0:amd64
                /etc/mysql mariadb-server/noawait
                /etc/systemd/system/mariadb.service.d mariadb-server/noawait
                /usr/share/postgresql postgresql-common/noawait
                """);
        assertThat(interests.takeChanged()).isTrue();
        assertThat(interests.takeChanged()).isFalse();
    }

    @Test
    void interestsAVersionAddsOrDropsAreRecordedAndEmptyFilesRemoved() throws IOException {
        write("File", "/usr/share/foo foo\n/usr/share/bar bar/noawait\n");
        write("foo-reload", "foo\n");
        write("ldconfig", "libc-bin\nfoo/noawait\n");
        TriggerInterests interests = interests();

        interests.replace("foo", triggers("interest /usr/share/foo\ninterest foo-reload\ninterest-noawait ldconfig\n"),
                "foo", triggers("interest-noawait /usr/lib/foo\ninterest-await ldconfig\nactivate-noawait ldconfig\n"));

        assertThat(read("File")).isEqualTo("/usr/share/bar bar/noawait\n/usr/lib/foo foo/noawait\n");
        assertThat(tree.resolve("var/lib/dpkg/triggers/foo-reload")).doesNotExist();
        assertThat(read("ldconfig")).isEqualTo("libc-bin\nfoo\n");
        assertThat(new DpkgDatabase(ImageFiles.of(tree)).triggers().fileInterests())
                .contains(new DpkgTriggerInterest("/usr/lib/foo", "foo", true));
    }

    @Test
    void aNewPackageAppendsItsInterestsAndTheLastFileInterestGoneRemovesFile() throws IOException {
        write("File", "/usr/share/foo foo\n");
        TriggerInterests interests = interests();

        interests.replace(null, DebTriggers.NONE, "bar:amd64", triggers("interest bar-reload\n"));
        assertThat(read("bar-reload")).isEqualTo("bar:amd64\n");
        interests.replace("foo", triggers("interest /usr/share/foo\n"), "foo", DebTriggers.NONE);

        assertThat(tree.resolve("var/lib/dpkg/triggers/File")).doesNotExist();
    }

    @Test
    void aPackageWithoutInterestsLeavesTheFilesAlone() throws IOException {
        write("File", "/usr/share/foo foo\n/usr/share/bar bar\n");
        TriggerInterests interests = interests();

        assertThat(interests.replace("baz", triggers("activate-noawait ldconfig\n"), "baz", DebTriggers.NONE)).isFalse();

        assertThat(read("File")).isEqualTo("/usr/share/foo foo\n/usr/share/bar bar\n");
        assertThat(interests.takeChanged()).isFalse();
    }

    private TriggerInterests interests() throws IOException {
        return new TriggerInterests(new RootedFiles(tree), new DpkgDatabase(ImageFiles.of(tree)).triggers());
    }

    private static DebTriggers triggers(String text) throws IOException {
        return DebTriggers.parse(text, "triggers");
    }

    private void write(String name, String text) throws IOException {
        Path file = tree.resolve("var/lib/dpkg/triggers/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String name) throws IOException {
        return Files.readString(tree.resolve("var/lib/dpkg/triggers/" + name));
    }
}
