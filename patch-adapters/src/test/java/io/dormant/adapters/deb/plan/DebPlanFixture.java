package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebControl;
import io.dormant.adapters.deb.DebControlException;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageRelations;
import io.dormant.adapters.deb.DebTriggers;
import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds status entries and patches from control text, the way the status file and a package's
 * control file would give them, for planner tests that need no deb file.
 */
final class DebPlanFixture {

    /** The image every test starts from unless it says otherwise: dpkg names the architecture. */
    static final String DPKG = """
            Package: dpkg
            Status: install ok installed
            Essential: yes
            Architecture: amd64
            Version: 1.21.22
            """;

    private DebPlanFixture() {
    }

    /** Status entries from paragraphs separated by blank lines; "Status: install ok installed" when none is written. */
    static List<DpkgStatusEntry> image(String... paragraphs) {
        List<DpkgStatusEntry> out = new ArrayList<>();
        for (DebControl p : parse(String.join("\n", paragraphs), "status")) {
            DebControl paragraph = p.has("Status") ? p : p.with("Status", "install ok installed");
            out.add(new DpkgStatusEntry(paragraph.value("Package").orElseThrow(),
                    paragraph.value("Architecture").orElse(""),
                    paragraph.value("Version").map(DebianVersion::parseLenient).orElse(null),
                    DpkgStatus.parse(paragraph.value("Status").orElseThrow()), paragraph));
        }
        return out;
    }

    /** The image of {@link #DPKG} plus these paragraphs. */
    static List<DpkgStatusEntry> withDpkg(String... paragraphs) {
        List<String> all = new ArrayList<>(List.of(DPKG));
        all.addAll(List.of(paragraphs));
        return image(all.toArray(String[]::new));
    }

    /** A patch from its control file; nothing but the control file is filled in. */
    static DebPackage patch(String control) {
        DebControl c = parse(control, "control").get(0);
        DebPackageRelations relations = DebPackageRelations.of(c);
        String name = c.value("Package").orElseThrow();
        DebianVersion version = DebianVersion.parse(c.value("Version").orElseThrow());
        return new DebPackage(name, version, c.value("Architecture").orElseThrow(),
                c.value("Multi-Arch").orElse("no").toLowerCase(), c, relations, List.of(), Map.of(), Map.of(),
                DebTriggers.NONE, Map.of(), "0".repeat(64), 0);
    }

    /** "Package: name / Version: version / Architecture: amd64" plus extra lines. */
    static DebPackage patch(String name, String version, String... lines) {
        return patch(control(name, version, lines));
    }

    /** The same paragraph as an installed status entry. */
    static String installed(String name, String version, String... lines) {
        return control(name, version, lines);
    }

    private static String control(String name, String version, String... lines) {
        StringBuilder out = new StringBuilder("Package: " + name + "\nVersion: " + version + "\n");
        boolean architecture = false;
        for (String line : lines) {
            out.append(line).append('\n');
            architecture |= line.startsWith("Architecture:");
        }
        if (!architecture) {
            out.append("Architecture: amd64\n");
        }
        return out.toString();
    }

    private static List<DebControl> parse(String text, String source) {
        try {
            return DebControl.parseAll(text, source);
        } catch (DebControlException e) {
            throw new UncheckedIOException(e);
        }
    }
}
