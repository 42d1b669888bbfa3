package io.dormant.adapters.patching;

/**
 * How to apply: {@code dryRun} plans only; {@code installNew} installs packages the image lacks;
 * {@code withoutRecommends} installs none for a Recommends, whatever the image's apt configuration says.
 */
public record PatchOptions(boolean dryRun, boolean installNew, boolean withoutRecommends) {

    /** Apply, installing what the image lacks only when the plan needs it or the image's apt would. */
    public static final PatchOptions APPLY = new PatchOptions(false, false, false);
}
