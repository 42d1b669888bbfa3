package io.dormant.adapters.confine;

import java.time.Duration;
import java.util.List;

/**
 * What a confined script did: its exit code (128 + signal when killed), the tail of its combined
 * output, how long it ran, whether it was killed for taking too long, and the process-starting
 * calls that were recorded instead of run, and the helper calls Dormant performed itself
 * ({@link HelperCalls}). The file changes are the overlay's, not this result's.
 */
public record ConfinedResult(int exitCode, String output, boolean outputTruncated, Duration duration,
                             boolean timedOut, List<RecordedCommand> deferred, List<String> helperCalls) {

    public ConfinedResult {
        deferred = List.copyOf(deferred);
        helperCalls = List.copyOf(helperCalls);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
