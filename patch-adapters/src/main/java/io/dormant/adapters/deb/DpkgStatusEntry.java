package io.dormant.adapters.deb;

import java.util.List;
import java.util.Optional;

/**
 * One paragraph of dpkg's status file: a package dpkg knows about, installed or not.
 *
 * @param name         the Package field
 * @param architecture the Architecture field, empty when absent (old not-installed entries)
 * @param version      null when the entry has none (a selection never installed)
 * @param status       the Status field
 * @param paragraph    every field, raw and in order, for a faithful rewrite
 */
public record DpkgStatusEntry(String name, String architecture, DebianVersion version, DpkgStatus status,
                              DebControl paragraph) {

    static DpkgStatusEntry of(DebControl paragraph, String source) throws DebControlException {
        String name = paragraph.value("Package").orElse("");
        if (name.isEmpty()) {
            throw new DebControlException(source, "a paragraph without 'Package' field");
        }
        String where = source + ": package '" + name + "'";
        try {
            String status = paragraph.value("Status")
                    .orElseThrow(() -> new IllegalArgumentException("missing 'Status' field"));
            DebianVersion version = paragraph.value("Version").filter(v -> !v.isEmpty())
                    .map(DebianVersion::parseLenient).orElse(null);
            return new DpkgStatusEntry(name, paragraph.value("Architecture").orElse(""), version,
                    DpkgStatus.parse(status), paragraph);
        } catch (IllegalArgumentException e) {
            throw new DebControlException(where, e.getMessage());
        }
    }

    public String multiArch() {
        return paragraph.value("Multi-Arch").orElse("no").toLowerCase();
    }

    /** The name of the package's files under info/: "name:arch" for Multi-Arch: same, as dpkg does. */
    public String infoName() {
        return multiArch().equals("same") ? name + ":" + architecture : name;
    }

    /** A relation field ("Depends", "Provides", ...) of the paragraph; {@link DebRelations#NONE} when absent. */
    public DebRelations relations(String field) {
        return DebRelations.field(paragraph, field);
    }

    public List<DebConffile> conffiles() throws DebControlException {
        Optional<String> value = paragraph.value("Conffiles");
        return value.isEmpty() ? List.of() : DebConffile.parseStatusField(value.get(), "status: package '" + name + "'");
    }
}
