package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a status paragraph from a package's control file the way dpkg does when it records an
 * installation: known fields in the order of dpkg's {@code fieldinfos} (lib/dpkg/parse.c), each
 * re-serialised as lib/dpkg/dump.c writes it (versions and relations normalised, Essential only
 * when "yes", Multi-Arch only when not "no"), then every other field in control-file order.
 */
final class DpkgStatusParagraph {

    /** dpkg's field order. Status and Conffiles come from the installation, not from the control file. */
    private static final List<String> ORDER = List.of("Package", "Essential", "Protected", "Status", "Priority",
            "Section", "Installed-Size", "Origin", "Maintainer", "Bugs", "Architecture", "Multi-Arch", "Source",
            "Version", "Config-Version", "Replaces", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests",
            "Breaks", "Conflicts", "Enhances", "Conffiles", "Filename", "Size", "MD5sum", "Description",
            "Triggers-Pending", "Triggers-Awaited");

    /** Fields dpkg knows but does not write into the status file (available-file and obsolete fields). */
    private static final Set<String> DROPPED = Set.of("filename", "size", "md5sum", "msdos-filename", "config-version",
            "triggers-pending", "triggers-awaited", "recommended", "optional", "class", "revision", "package-revision",
            "package_revision", "status", "conffiles");

    private static final Set<String> PRIORITIES = Set.of("required", "important", "standard", "optional", "extra");

    private DpkgStatusParagraph() {
    }

    static DebControl of(DebControl control, DpkgStatus status, List<DebConffile> conffiles) {
        List<DebControlField> out = new ArrayList<>();
        for (String name : ORDER) {
            String value = switch (name) {
                case "Status" -> status.format();
                case "Conffiles" -> conffiles.isEmpty() ? null
                        : "\n" + conffiles.stream().map(DebConffile::formatStatusLine).collect(Collectors.joining("\n"));
                default -> DROPPED.contains(name.toLowerCase(Locale.ROOT)) ? null : known(control, name);
            };
            if (value != null && !value.isEmpty()) {
                out.add(value.startsWith("\n") ? new DebControlField(name, value) : DebControlField.of(name, value));
            }
        }
        for (DebControlField f : control.fields()) {
            boolean known = ORDER.stream().anyMatch(f::is) || DROPPED.contains(f.name().toLowerCase(Locale.ROOT));
            if (!known && !f.value().isEmpty()) {
                out.add(DebControlField.of(f.name(), f.value()));
            }
        }
        return new DebControl(out);
    }

    private static String known(DebControl control, String name) {
        String value = control.value(name).orElse(null);
        if (value == null) {
            return null;
        }
        return switch (name) {
            case "Essential", "Protected" -> value.equalsIgnoreCase("yes") ? "yes" : null;
            case "Priority" -> PRIORITIES.contains(value.toLowerCase(Locale.ROOT)) ? value.toLowerCase(Locale.ROOT) : value;
            case "Multi-Arch" -> value.equalsIgnoreCase("no") ? null : value.toLowerCase(Locale.ROOT);
            case "Version" -> DebianVersion.parseLenient(value).toString();
            case "Replaces", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests", "Breaks", "Conflicts",
                 "Enhances" -> DebRelations.parse(name, value).format();
            default -> value;
        };
    }
}
