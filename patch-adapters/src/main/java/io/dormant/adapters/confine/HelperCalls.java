package io.dormant.adapters.confine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Helper commands that Dormant answers itself while a confined script runs. A script the emulate
 * tier cannot take whole still spends most of its time in a few helpers (each call of the Perl
 * {@code deb-systemd-helper} starts an interpreter and its modules, about 90 ms); a call that the
 * emulation follows is performed on the image by Dormant, and any other call runs the image's own
 * command, so the script's effect is the same either way.
 */
public interface HelperCalls {

    HelperCalls NONE = new HelperCalls() {
        @Override
        public Set<String> commands() {
            return Set.of();
        }

        @Override
        public Optional<HelperReply> answer(Path root, HelperCall call) {
            return Optional.empty();
        }
    };

    /** The command names answered, such as "deb-systemd-helper"; each gets a forwarding shim in the sandbox. */
    Set<String> commands();

    /**
     * Performs the call on the image tree at {@code root} and answers what the command would have
     * answered, or empty (having changed nothing) when the emulation does not follow this call.
     */
    Optional<HelperReply> answer(Path root, HelperCall call) throws IOException;
}
