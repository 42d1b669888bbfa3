package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DebArchitectureMatch;
import io.dormant.adapters.deb.DebControl;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageRelations;
import io.dormant.adapters.deb.DebTriggers;
import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dpkg's pkg_disappear_others on a multiarch image: package "new" takes over every file of "old"
 * (amd64, Multi-Arch: no), and whether "old" disappears depends on whether a dependency on it is
 * still satisfied, where an instance counts only for the architectures it fits (deparchsatisfied).
 * (dpkg itself is compared in DpkgScriptOrderIT's disappear case.)
 */
class DisappearanceTest {

    private static final List<String> FILES = List.of("/.", "/usr", "/usr/share", "/usr/share/old", "/usr/share/old/data");

    @TempDir
    Path tree;

    @Test
    void disappearsWhenNothingDependsOnIt() throws IOException {
        image("");

        assertThat(names(disappearing())).containsExactly("old");
    }

    @Test
    void staysWhileAnInstalledPackageStillDependsOnIt() throws IOException {
        image(paragraph("user", "amd64", "Depends: old"));

        assertThat(disappearing()).isEmpty();
    }

    @Test
    void anInstanceOfAnotherArchitectureDoesNotSatisfyAnUnqualifiedDependency() throws IOException {
        // user:amd64 depends on old, which an i386 instance would not satisfy: dpkg keeps old:amd64.
        image(paragraph("user", "amd64", "Depends: old | other") + "\n" + paragraph("other", "i386", ""));

        assertThat(disappearing()).isEmpty();
    }

    @Test
    void anInstanceOfTheRightArchitectureSatisfiesIt() throws IOException {
        image(paragraph("user", "amd64", "Depends: old | other") + "\n" + paragraph("other", "amd64", ""));

        assertThat(names(disappearing())).containsExactly("old");
    }

    @Test
    void multiArchForeignSatisfiesADependencyFromAnyArchitecture() throws IOException {
        image(paragraph("user", "i386", "Depends: old | other") + "\n" + paragraph("other", "amd64", "Multi-Arch: foreign"));

        assertThat(names(disappearing())).containsExactly("old");
    }

    @Test
    void aProviderCountsWhateverItsArchitecture() throws IOException {
        // depisok checks a provider's version, not its architecture.
        image(paragraph("user", "amd64", "Depends: old") + "\n" + paragraph("other", "i386", "Provides: old"));

        assertThat(names(disappearing())).containsExactly("old");
    }

    private List<DpkgStatusEntry> disappearing() throws IOException {
        DpkgDatabase database = new DpkgDatabase(ImageFiles.of(tree));
        Disappearance disappearance = new Disappearance(database, new FileOwners(database), new Diversions(List.of()),
                new DebArchitectureMatch("amd64"));
        return disappearance.after(newPackage(), FILES);
    }

    private void image(String others) throws IOException {
        Path admin = Files.createDirectories(tree.resolve("var/lib/dpkg/info"));
        String status = paragraph("dpkg", "amd64", "") + "\n" + paragraph("old", "amd64", "") + "\n"
                + paragraph("new", "amd64", "") + (others.isEmpty() ? "" : "\n" + others);
        Files.writeString(admin.resolve("../status"), status);
        Files.writeString(admin.resolve("old.list"), String.join("\n", FILES) + "\n");
        Files.writeString(admin.resolve("new.list"), String.join("\n", FILES) + "\n");
        Files.writeString(admin.resolve("dpkg.list"), "/.\n/usr\n/usr/bin\n/usr/bin/dpkg\n");
    }

    private static DebPackage newPackage() throws IOException {
        DebControl control = DebControl.parseAll("Package: new\nVersion: 2\nArchitecture: amd64\nReplaces: old\n", "control")
                .get(0);
        return new DebPackage("new", DebianVersion.parse("2"), "amd64", "no", control, DebPackageRelations.of(control),
                List.of(), Map.of(), Map.of(), DebTriggers.NONE, Map.of(), "0".repeat(64), 0);
    }

    private static String paragraph(String name, String architecture, String extra) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: " + architecture + "\nVersion: 1\n"
                + (extra.isEmpty() ? "" : extra + "\n") + "Description: disappearance test\n";
    }

    private static List<String> names(List<DpkgStatusEntry> entries) {
        return entries.stream().map(DpkgStatusEntry::name).toList();
    }
}
