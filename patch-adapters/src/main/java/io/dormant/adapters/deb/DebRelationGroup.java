package io.dormant.adapters.deb;

import java.util.List;
import java.util.stream.Collectors;

/** Alternatives separated by '|': satisfied when any one of them is. */
public record DebRelationGroup(List<DebRelation> alternatives) {

    public DebRelationGroup {
        alternatives = List.copyOf(alternatives);
    }

    public String format() {
        return alternatives.stream().map(DebRelation::format).collect(Collectors.joining(" | "));
    }
}
