package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageRelations;
import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.DpkgStatus.State;
import io.dormant.adapters.deb.DpkgStatusEntry;

/**
 * One package instance as the relation checks see it: from the image's status file, or a patch
 * that the plan would install in its place (then in state installed).
 *
 * @param patch the patch this instance comes from, null for one the image has
 */
record DebInstance(String name, String architecture, DebianVersion version, String multiArch,
                   DebPackageRelations relations, State state, DebPackage patch) {

    static DebInstance of(DebPackage patch) {
        return new DebInstance(patch.name(), patch.architecture(), patch.version(), patch.multiArch(), patch.relations(),
                State.INSTALLED, patch);
    }

    /** @throws IllegalArgumentException naming the package when a relation field is one dpkg would not read */
    static DebInstance of(DpkgStatusEntry entry) {
        try {
            return new DebInstance(entry.name(), entry.architecture(), entry.version(), entry.multiArch(),
                    DebPackageRelations.of(entry.paragraph()), entry.status().state(), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image's status entry for " + entry.name() + ": " + e.getMessage(), e);
        }
    }

    static String label(String name, String architecture, String multiArch) {
        return multiArch.equals("same") ? name + ":" + architecture : name;
    }

    /** Satisfies dependencies on it: configured, or only waiting for triggers. */
    boolean isConfigured() {
        return isConfigured(state);
    }

    static boolean isConfigured(State state) {
        return state.isConfigured();
    }

    /** Counts for Conflicts: anything from half-installed on (dpkg's depisok). */
    boolean isPresent() {
        return state.compareTo(State.HALF_INSTALLED) >= 0;
    }

    boolean isMultiArchSame() {
        return multiArch.equals("same");
    }

    String label() {
        return label(name, architecture, multiArch);
    }

    /** "openssh-server 1:9.2p1-2+deb12u5". */
    String describe() {
        return label() + " " + version;
    }

    String stateWord() {
        return state.name().toLowerCase().replace('_', '-');
    }
}
