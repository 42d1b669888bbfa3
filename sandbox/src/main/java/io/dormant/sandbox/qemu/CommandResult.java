package io.dormant.sandbox.qemu;

import java.time.Duration;

/**
 * How a command ended.
 *
 * @param exitCode meaningless when {@code timedOut}
 * @param timedOut the command was still running at its deadline and was killed
 * @param output   the end of its standard output and error, merged
 * @param elapsed  from start to exit, or to the kill
 */
record CommandResult(int exitCode, boolean timedOut, String output, Duration elapsed) {

    static CommandResult exited(int exitCode, String output, Duration elapsed) {
        return new CommandResult(exitCode, false, output, elapsed);
    }

    static CommandResult killedAfter(Duration elapsed, String output) {
        return new CommandResult(-1, true, output, elapsed);
    }

    /** The last non-blank line of the output, where QEMU puts the error that made it stop. */
    String lastLine() {
        String[] lines = output.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }
}
