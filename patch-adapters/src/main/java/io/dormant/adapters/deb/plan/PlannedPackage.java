package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebianVersion;

/**
 * One patch that the plan applies, in its place in the order.
 *
 * @param patch            the package to unpack and configure
 * @param action           what dpkg would do with it
 * @param installedVersion the version it replaces, null for {@link Action#INSTALL}
 */
public record PlannedPackage(DebPackage patch, Action action, DebianVersion installedVersion) {

    public enum Action { UPGRADE, INSTALL }

    /** "name" or, for Multi-Arch: same packages, "name:arch", as dpkg names them in messages. */
    public String label() {
        return DebInstance.label(patch.name(), patch.architecture(), patch.multiArch());
    }
}
