package io.dormant.adapters.deb.plan;

import java.util.List;

/**
 * The patch set cannot be applied to the image as it is: after it, dpkg would find unmet
 * dependencies, conflicts or broken packages, or could not order the set. Lists every reason found,
 * not only the first, so that one run tells an admin everything the set needs.
 */
public final class DebPlanRefusedException extends Exception {

    private final List<String> reasons;

    public DebPlanRefusedException(List<String> reasons) {
        super(message(reasons));
        this.reasons = List.copyOf(reasons);
    }

    /** Each reason as one sentence, in the order found. */
    public List<String> reasons() {
        return reasons;
    }

    private static String message(List<String> reasons) {
        StringBuilder out = new StringBuilder("the patch set cannot be applied to this image ("
                + reasons.size() + (reasons.size() == 1 ? " problem" : " problems")
                + "); add or remove patches so that dpkg would accept the result:");
        reasons.forEach(r -> out.append("\n  - ").append(r));
        return out.toString();
    }
}
