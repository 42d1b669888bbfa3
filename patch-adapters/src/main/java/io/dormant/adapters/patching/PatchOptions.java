package io.dormant.adapters.patching;

/** How to apply: {@code dryRun} plans only; {@code installNew} installs packages the image lacks. */
public record PatchOptions(boolean dryRun, boolean installNew) {
}
