package io.dormant.sandbox.qemu;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a command to its end or its deadline; an interface so that decisions built on commands are testable without them. */
interface CommandRunner {

    /**
     * Runs {@code command} with no input; kills it (and its children) if it is still running after
     * {@code timeout}.
     *
     * @throws IOException when the command cannot be started at all
     */
    CommandResult run(List<String> command, Duration timeout) throws IOException;
}
