package io.dormant.adapters.patching;

import java.util.List;

/** The package set cannot be applied to the image as it is; every reason is listed. */
public class PatchRefusedException extends RuntimeException {

    private final List<String> reasons;

    public PatchRefusedException(List<String> reasons) {
        super("the packages cannot be applied to this image:\n  " + String.join("\n  ", reasons)
                + "\nadd the missing packages to the set, or drop the ones that need them");
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
