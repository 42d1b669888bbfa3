package io.dormant.engine.cli;

/** A failure the user can fix; its message says what happened and what to do next. */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }
}
