package io.dormant.adapters.deb.plan;

/**
 * What a plan may do beyond upgrading what the image has.
 *
 * @param installNew   install patches whose package the image does not have; without it they are
 *                     installed only when another planned package needs them
 * @param architecture the image's native architecture ("amd64"), or null to take it from the
 *                     image's dpkg package, as {@code dpkg --print-architecture} would
 */
public record DebPlanOptions(boolean installNew, String architecture) {

    public static final DebPlanOptions DEFAULTS = new DebPlanOptions(false, null);

    public DebPlanOptions withInstallNew() {
        return new DebPlanOptions(true, architecture);
    }

    public DebPlanOptions withArchitecture(String nativeArchitecture) {
        return new DebPlanOptions(installNew, nativeArchitecture);
    }
}
