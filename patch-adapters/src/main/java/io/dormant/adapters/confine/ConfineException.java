package io.dormant.adapters.confine;

import java.io.IOException;

/**
 * The confine tier could not set up, run or tear down its sandbox: an overlay that would not mount
 * or unmount, bubblewrap missing or refusing, a root that is not an image tree. The message names
 * the paths involved and what to check; a script that merely fails is a {@link ConfinedResult}, not this.
 */
public final class ConfineException extends IOException {

    public ConfineException(String message) {
        super(message);
    }

    public ConfineException(String message, Throwable cause) {
        super(message, cause);
    }
}
