package io.dormant.adapters.deb.plan;

/**
 * What a plan may do beyond upgrading what the image has.
 *
 * @param installNew        install patches whose package the image does not have; without it they
 *                          are installed only when another planned package needs them
 * @param installRecommends also install such a patch when a planned package recommends it, as apt
 *                          does by default ({@code APT::Install-Recommends}): every Recommends of a
 *                          new package, and those an upgrade adds
 * @param architecture      the image's native architecture ("amd64"), or null to take it from the
 *                          image's dpkg package, as {@code dpkg --print-architecture} would
 */
public record DebPlanOptions(boolean installNew, boolean installRecommends, String architecture) {

    public static final DebPlanOptions DEFAULTS = new DebPlanOptions(false, true, null);

    public DebPlanOptions withInstallNew() {
        return new DebPlanOptions(true, installRecommends, architecture);
    }

    public DebPlanOptions withInstallRecommends(boolean recommends) {
        return new DebPlanOptions(installNew, recommends, architecture);
    }

    public DebPlanOptions withArchitecture(String nativeArchitecture) {
        return new DebPlanOptions(installNew, installRecommends, nativeArchitecture);
    }
}
