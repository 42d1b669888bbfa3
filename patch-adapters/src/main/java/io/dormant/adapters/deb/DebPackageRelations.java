package io.dormant.adapters.deb;

/** A package's relation fields, each parsed; an absent field is {@link DebRelations#NONE}. */
public record DebPackageRelations(DebRelations depends, DebRelations preDepends, DebRelations recommends,
                                  DebRelations suggests, DebRelations enhances, DebRelations breaks,
                                  DebRelations conflicts, DebRelations replaces, DebRelations provides) {

    /** The relation fields in the order dpkg writes them. */
    static final String[] FIELDS = {"Replaces", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests",
        "Breaks", "Conflicts", "Enhances"};

    /** @throws IllegalArgumentException naming the field and the reference that dpkg would refuse */
    public static DebPackageRelations of(DebControl control) {
        return new DebPackageRelations(DebRelations.field(control, "Depends"),
                DebRelations.field(control, "Pre-Depends"), DebRelations.field(control, "Recommends"),
                DebRelations.field(control, "Suggests"), DebRelations.field(control, "Enhances"),
                DebRelations.field(control, "Breaks"), DebRelations.field(control, "Conflicts"),
                DebRelations.field(control, "Replaces"), DebRelations.field(control, "Provides"));
    }

    /** The field by its control-file name ("Pre-Depends"), case-insensitively. */
    public DebRelations get(String field) {
        return switch (field.toLowerCase()) {
            case "depends" -> depends;
            case "pre-depends" -> preDepends;
            case "recommends" -> recommends;
            case "suggests" -> suggests;
            case "enhances" -> enhances;
            case "breaks" -> breaks;
            case "conflicts" -> conflicts;
            case "replaces" -> replaces;
            case "provides" -> provides;
            default -> throw new IllegalArgumentException("'" + field + "' is not a relation field");
        };
    }
}
