package io.dormant.adapters.deb;

/**
 * One package named in a relation field: {@code libc6:any (>= 2.34)}.
 *
 * @param name         the package name
 * @param architecture the qualifier after ':' ("any", "native" or an architecture), or null when
 *                     none is written (dpkg then applies the field's default)
 * @param op           null when no version is given
 * @param version      null when no version is given
 */
public record DebRelation(String name, String architecture, DebRelationOp op, DebianVersion version) {

    /** Whether {@code candidate} is a version this relation accepts; any version when none is given. */
    public boolean acceptsVersion(DebianVersion candidate) {
        return op == null || op.accepts(candidate.compareTo(version));
    }

    /**
     * Whether a package that provides {@code provided} satisfies this relation, by name and
     * version (dpkg's pkg_virtual_deppossi_satisfied: a versioned relation needs a versioned (=)
     * Provides that fits).
     */
    public boolean isProvidedBy(DebRelation provided) {
        return provided.name().equals(name) && (op == null || provided.op() == DebRelationOp.EQ && acceptsVersion(provided.version()));
    }

    /** As dpkg writes it into the status file (lib/dpkg/dump.c, varbufdependency). */
    public String format() {
        StringBuilder out = new StringBuilder(name);
        if (architecture != null) {
            out.append(':').append(architecture);
        }
        if (op != null) {
            out.append(" (").append(op.symbol()).append(' ').append(version).append(')');
        }
        return out.toString();
    }
}
