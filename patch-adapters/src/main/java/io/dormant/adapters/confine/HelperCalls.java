package io.dormant.adapters.confine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    /** Each command answered by the first of {@code calls} that names it. */
    static HelperCalls all(List<HelperCalls> calls) {
        List<HelperCalls> parts = List.copyOf(calls);
        return new HelperCalls() {
            @Override
            public Set<String> commands() {
                Set<String> names = new java.util.LinkedHashSet<>();
                parts.forEach(part -> names.addAll(part.commands()));
                return names;
            }

            @Override
            public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
                for (HelperCalls part : parts) {
                    if (part.commands().contains(call.command())) {
                        return part.answer(root, call);
                    }
                }
                return Optional.empty();
            }
        };
    }

    /**
     * The command names answered, such as "deb-systemd-helper"; each gets a forwarding shim in the
     * sandbox, over the image's command of that name. A name starting "dormant-" is Dormant's own,
     * for scripts Dormant rewrote, and is seen at {@code /run/dormant/bin/NAME}.
     */
    Set<String> commands();


    /**
     * Performs the call on the image tree at {@code root} and answers what the command would have
     * answered, or empty (having changed nothing) when the emulation does not follow this call.
     */
    Optional<HelperReply> answer(Path root, HelperCall call) throws IOException;
}
