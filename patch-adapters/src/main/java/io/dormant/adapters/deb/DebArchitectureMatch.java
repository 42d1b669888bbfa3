package io.dormant.adapters.deb;

/**
 * dpkg's deparchsatisfied (lib/dpkg/depcon.c): whether an installed instance's architecture fits a
 * relation that names its package. An unqualified dependency wants the depender's architecture
 * (Conflicts and Breaks: any), ':any' wants Multi-Arch: allowed, 'all' counts as native, and
 * Multi-Arch: foreign satisfies an unqualified dependency from any architecture.
 *
 * @param nativeArchitecture dpkg's own architecture in the image
 */
public record DebArchitectureMatch(String nativeArchitecture) {

    /**
     * @param candidateArchitecture the instance's Architecture field
     * @param candidateMultiArch    its Multi-Arch field, lower case ("no" when absent)
     * @param dependerArchitecture  the Architecture of the package that declares {@code wanted}
     * @param dependency            true for Depends, Pre-Depends and Recommends, false for Conflicts and Breaks
     */
    public boolean matches(String candidateArchitecture, String candidateMultiArch, DebRelation wanted,
                           String dependerArchitecture, boolean dependency) {
        String qualifier = wanted.architecture();
        if (qualifier == null && candidateMultiArch.equals("foreign")) {
            return true;
        }
        boolean wildcard = qualifier == null ? !dependency : qualifier.equals("any");
        if (wildcard) {
            return candidateMultiArch.equals("allowed") || !dependency;
        }
        String wantedArchitecture = qualifier == null ? dependerArchitecture : qualifier;
        return asNative(wantedArchitecture).equals(asNative(candidateArchitecture));
    }

    private String asNative(String architecture) {
        return architecture.equals("all") || architecture.equals("native") || architecture.isEmpty()
                ? nativeArchitecture : architecture;
    }
}
