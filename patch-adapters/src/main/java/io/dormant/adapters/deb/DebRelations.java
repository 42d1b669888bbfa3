package io.dormant.adapters.deb;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A relation field (Depends, Pre-Depends, Recommends, Suggests, Enhances, Breaks, Conflicts,
 * Replaces, Provides) as a list of groups that must all be satisfied.
 */
public record DebRelations(List<DebRelationGroup> groups) {

    public static final DebRelations NONE = new DebRelations(List.of());

    public DebRelations {
        groups = List.copyOf(groups);
    }

    /**
     * Parses a field's value with dpkg's rules (lib/dpkg/fields.c, f_dependency).
     *
     * @param field the field's name, which decides what is allowed: no '|' in Breaks, Conflicts,
     *              Replaces and Provides, only '=' in Provides
     * @throws IllegalArgumentException naming the field, the package and the problem
     */
    public static DebRelations parse(String field, String value) {
        return new DebRelationParser(field, value).parse();
    }

    /** The field {@code name} of a control or status paragraph, parsed; {@link #NONE} when absent. */
    public static DebRelations field(DebControl paragraph, String name) {
        return paragraph.value(name).map(v -> parse(name, v)).orElse(NONE);
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** As dpkg writes the field's value into the status file: ", " between groups. */
    public String format() {
        return groups.stream().map(DebRelationGroup::format).collect(Collectors.joining(", "));
    }
}
