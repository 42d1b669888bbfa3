package io.dormant.adapters.deb.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What applying a set of deb patches to an image will do: the packages in the order they are
 * configured, the same packages in the order they are unpacked, the installed packages dpkg
 * deconfigures on the way, the patches left out and why, and notes an admin should read (cycles
 * broken, holds).
 */
public record DebPlan(List<PlannedPackage> packages, List<PlannedPackage> unpackOrder,
                      List<DebDeconfiguration> deconfigurations, List<SkippedPatch> skipped, List<String> notes) {

    public DebPlan {
        packages = List.copyOf(packages);
        unpackOrder = List.copyOf(unpackOrder);
        deconfigurations = List.copyOf(deconfigurations);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /** A plan that unpacks in the order it configures and deconfigures nothing. */
    public DebPlan(List<PlannedPackage> packages, List<SkippedPatch> skipped, List<String> notes) {
        this(packages, packages, List.of(), skipped, notes);
    }

    /** What dpkg deconfigures just before it unpacks {@code unpacking}, in the order it runs their prerms. */
    public List<DebDeconfiguration> deconfiguredBy(PlannedPackage unpacking) {
        List<DebDeconfiguration> out = new ArrayList<>(deconfigurations.stream().filter(d -> d.by() == unpacking).toList());
        // dpkg queues them at the head of a list, so it runs the last one it considered first.
        Collections.reverse(out);
        return out;
    }

    public boolean isEmpty() {
        return packages.isEmpty();
    }

    /** A short table for the command line and the approval screen. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "package", "arch", "action", "from", "to"});
        int n = 1;
        for (PlannedPackage p : packages) {
            rows.add(new String[] {String.valueOf(n++), p.patch().name(), p.patch().architecture(),
                p.action().name().toLowerCase(), p.installedVersion() == null ? "-" : p.installedVersion().toString(),
                p.patch().version().toString()});
        }
        if (packages.isEmpty()) {
            out.append("nothing to apply\n");
        } else {
            table(out, rows);
        }
        if (!deconfigurations.isEmpty()) {
            out.append("deconfigured on the way (dpkg --auto-deconfigure, as apt runs it):\n");
            deconfigurations.forEach(d -> out.append("  ").append(d.describe()).append('\n'));
        }
        if (!skipped.isEmpty()) {
            out.append("skipped:\n");
            skipped.forEach(s -> out.append("  ").append(s.fileName()).append(": ").append(s.reason()).append('\n'));
        }
        if (!notes.isEmpty()) {
            out.append("notes:\n");
            notes.forEach(note -> out.append("  ").append(note).append('\n'));
        }
        return out.toString();
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s", row[i])).append(i < row.length - 1 ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
