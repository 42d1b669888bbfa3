package io.dormant.adapters.deb.emulate;

/**
 * One command of a maintainer script that Dormant knows, with what it does for the script's
 * arguments: its action kind (what the action policy is asked about), a line for the report, and
 * the effect Dormant performs on the image instead of running the command.
 */
public record EmulatedAction(String kind, String description, Effect effect) {

    /** What performing the action does to the image tree; most actions of an upgrade do nothing. */
    @FunctionalInterface
    public interface Effect {
        Effect NONE = image -> { };

        void perform(io.dormant.adapters.rootfs.RootedFiles image) throws java.io.IOException;
    }

    /** A service start or restart: not performed but deferred; its description is the command as a shell line. */
    public boolean isProcessStart() {
        return kind.equals(ActionCatalogue.SERVICE_START) || kind.equals(ActionCatalogue.SERVICE_RESTART);
    }

    static EmulatedAction noEffect(String kind, String description) {
        return new EmulatedAction(kind, description, Effect.NONE);
    }
}
