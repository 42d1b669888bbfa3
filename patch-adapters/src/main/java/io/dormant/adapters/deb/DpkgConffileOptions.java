package io.dormant.adapters.deb;

import java.util.Set;

/**
 * The image's dpkg options that answer the question dpkg asks about a conffile both the admin and
 * the package changed ({@code force-confnew}, {@code force-confold}, {@code force-confdef}), and
 * that change which cases it asks about ({@code force-confask}) or installs outright
 * ({@code force-confmiss}).
 */
public record DpkgConffileOptions(boolean confnew, boolean confold, boolean confdef, boolean confmiss, boolean confask) {

    public static final DpkgConffileOptions NONE = new DpkgConffileOptions(false, false, false, false, false);

    /** The force options' names without their {@code force-} prefix. */
    static final Set<String> NAMES = Set.of("confnew", "confold", "confdef", "confmiss", "confask");

    static DpkgConffileOptions of(Set<String> forced) {
        return new DpkgConffileOptions(forced.contains("confnew"), forced.contains("confold"), forced.contains("confdef"),
                forced.contains("confmiss"), forced.contains("confask"));
    }
}
