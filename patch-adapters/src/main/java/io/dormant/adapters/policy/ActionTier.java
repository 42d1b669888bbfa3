package io.dormant.adapters.policy;

import java.util.Locale;

/** The three tiers of DESIGN.md, plus running the step now in a sandbox VM. */
public enum ActionTier {
    EMULATE, CONFINE, DEFER, SANDBOX;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionTier ofWord(String word) {
        try {
            return valueOf(word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the action policy answered '" + word
                    + "', which is no tier; it must answer emulate, confine, defer or sandbox", e);
        }
    }
}
