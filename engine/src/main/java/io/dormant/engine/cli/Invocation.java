package io.dormant.engine.cli;

import java.lang.management.ManagementFactory;

/**
 * What a command knows about the terminal and the moment it was typed. A command run by the
 * resident process ({@link ResidentDaemon}) was typed in another process: there, this holds the
 * caller's terminal and start time instead of the resident JVM's own.
 */
final class Invocation {

    private static volatile Boolean terminal;
    private static volatile long startedAt;
    private static volatile boolean resident;

    private Invocation() {
    }

    /** Whether the command's output goes to a terminal (progress is rewritten in place there). */
    static boolean terminal() {
        Boolean forwarded = terminal;
        return forwarded != null ? forwarded : System.console() != null;
    }

    /** When the process that took the command started, in epoch milliseconds. */
    static long startedAt() {
        long forwarded = startedAt;
        return forwarded != 0 ? forwarded : ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /** Whether the command runs in the resident process, which lives on after it. */
    static boolean resident() {
        return resident;
    }

    static void forwarded(boolean callerTerminal, long callerStartedAt) {
        terminal = callerTerminal;
        startedAt = callerStartedAt;
        resident = true;
    }

    static void reset() {
        terminal = null;
        startedAt = 0;
        resident = false;
    }
}
