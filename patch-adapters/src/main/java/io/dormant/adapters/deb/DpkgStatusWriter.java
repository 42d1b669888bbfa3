package io.dormant.adapters.deb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes dpkg's status file: paragraphs in order, each followed by an empty line, exactly as dpkg
 * writes them (lib/dpkg/dump.c, writedb_stanzas). Paragraphs read from an image are written back
 * byte for byte; a package being installed gets the paragraph dpkg would write for it.
 */
public final class DpkgStatusWriter {

    /** dpkg sorts by name, then by architecture (pkg_sorter_by_nonambig_name_arch, simplified to the name). */
    private static final Comparator<DebControl> DPKG_ORDER = Comparator
            .comparing((DebControl p) -> p.value("Package").orElse(""), DpkgStatusWriter::compareBytes)
            .thenComparing(p -> p.value("Architecture").orElse(""), DpkgStatusWriter::compareBytes);

    private DpkgStatusWriter() {
    }

    public static byte[] write(List<DebControl> paragraphs) {
        StringBuilder out = new StringBuilder();
        for (DebControl p : paragraphs) {
            out.append(p.format()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The paragraph dpkg records for {@code pkg} once it is installed and configured.
     *
     * @param conffiles the package's conffiles with the md5 of each file as unpacked
     */
    public static DebControl installedParagraph(DebPackage pkg, List<DebConffile> conffiles) {
        return paragraph(pkg.control(), DpkgStatus.INSTALLED, conffiles);
    }

    /** The paragraph dpkg records for a control file in {@code status}, with {@code conffiles}. */
    public static DebControl paragraph(DebControl control, DpkgStatus status, List<DebConffile> conffiles) {
        return DpkgStatusParagraph.of(control, status, conffiles);
    }

    /**
     * The status paragraph with its conffiles at {@code paths} flagged obsolete; the same paragraph
     * when it has none of them, or has them obsolete already.
     */
    public static DebControl withConffilesObsolete(DebControl paragraph, Set<String> paths) throws DebControlException {
        Optional<String> value = paragraph.value("Conffiles");
        if (value.isEmpty()) {
            return paragraph;
        }
        List<DebConffile> conffiles = DebConffile.parseStatusField(value.get(), "status: package '"
                + paragraph.value("Package").orElse("") + "'");
        if (conffiles.stream().noneMatch(c -> paths.contains(c.path()) && !c.obsolete())) {
            return paragraph;
        }
        String lines = conffiles.stream()
                .map(c -> paths.contains(c.path()) ? new DebConffile(c.path(), c.hash(), true, c.removeOnUpgrade()) : c)
                .map(DebConffile::formatStatusLine).collect(Collectors.joining("\n"));
        List<DebControlField> fields = new ArrayList<>(paragraph.fields());
        fields.replaceAll(f -> f.is("Conffiles") ? new DebControlField(f.name(), "\n" + lines) : f);
        return new DebControl(fields);
    }

    /**
     * {@code status} with {@code entry} in it: replacing the entry of the same package and
     * architecture, or inserted where dpkg's sort puts it.
     */
    public static List<DebControl> withEntry(List<DebControl> status, DebControl entry) {
        List<DebControl> out = new ArrayList<>(status);
        for (int i = 0; i < out.size(); i++) {
            if (DPKG_ORDER.compare(out.get(i), entry) == 0) {
                out.set(i, entry);
                return out;
            }
        }
        int at = 0;
        while (at < out.size() && DPKG_ORDER.compare(out.get(at), entry) < 0) {
            at++;
        }
        out.add(at, entry);
        return out;
    }

    /** strcmp on the UTF-8 bytes, which is dpkg's order for package names. */
    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
