package io.dormant.adapters.deb.plan;

import io.dormant.adapters.deb.DebianVersion;
import java.util.List;

/**
 * An installed package that dpkg deconfigures just before it unpacks a planned one, with
 * {@code --auto-deconfigure} as apt passes it (src/main/unpack.c, pkg_deconfigure_others): its
 * prerm runs with {@code deconfigure in-favour}, it drops to half-configured, and it is configured
 * again later in the same run.
 *
 * @param by           the planned package whose unpack deconfigures it
 * @param name         the deconfigured package
 * @param architecture its installed architecture
 * @param multiArch    its installed Multi-Arch field, lower case
 * @param version      its installed version
 * @param reason       why dpkg deconfigures it
 */
public record DebDeconfiguration(PlannedPackage by, String name, String architecture, String multiArch,
                                 DebianVersion version, Reason reason) {

    public enum Reason {
        /** {@code by} breaks the installed version. */
        BREAKS,
        /** Another instance of a Multi-Arch: same package, left at another version than {@code by}'s. */
        INSTANCE_SYNC
    }

    /** As dpkg names it in messages ({@link PlannedPackage#label()}). */
    public String label() {
        return DebInstance.label(name, architecture, multiArch);
    }

    /** Its prerm's arguments: {@code deconfigure in-favour <package> <version>}. */
    public List<String> prermArguments() {
        return List.of("deconfigure", "in-favour", by.label(), by.patch().version().toString());
    }

    /** dpkg's line for it, "De-configuring b (1), to allow installation of a (2)". */
    public String describe() {
        return "De-configuring " + label() + " (" + version + "), to allow " + (reason == Reason.BREAKS ? "installation" : "configuration")
                + " of " + by.label() + " (" + by.patch().version() + ")";
    }
}
