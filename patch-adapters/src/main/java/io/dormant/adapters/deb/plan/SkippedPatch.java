package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebPackage;

/**
 * A patch of the set that the plan leaves out, and why ("already installed at 1.2-3").
 *
 * @param patch  the package as read
 * @param reason for people, without the package's name
 */
public record SkippedPatch(DebPackage patch, String reason) {

    /**
     * The package's file name as the archive names it ({@code name_version_arch.deb}, version without
     * its epoch); {@link DebPackage} does not keep the name of the file it was read from.
     */
    public String fileName() {
        return patch.name() + "_" + patch.version().toString().replaceFirst("^[0-9]+:", "") + "_"
                + patch.architecture() + ".deb";
    }
}
