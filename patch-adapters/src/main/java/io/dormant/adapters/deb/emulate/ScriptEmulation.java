package io.dormant.adapters.deb.emulate;

import java.util.List;

/**
 * The result of reading one maintainer script for one call: either every part of it is known, and
 * {@link #actions()} is all it would do, or {@link #unknown()} says the first part that is not, and
 * the script goes to the tier the policy gives unknown commands (confine, today).
 */
public record ScriptEmulation(List<EmulatedAction> actions, String unknown) {

    static ScriptEmulation known(List<EmulatedAction> actions) {
        return new ScriptEmulation(List.copyOf(actions), null);
    }

    static ScriptEmulation notKnown(String why) {
        return new ScriptEmulation(List.of(), why);
    }

    public boolean isKnown() {
        return unknown == null;
    }
}
