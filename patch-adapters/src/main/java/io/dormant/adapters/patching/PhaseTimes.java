package io.dormant.adapters.patching;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the wall-clock time of one apply went, phase by phase, in milliseconds: what the report
 * shows so that a slow apply says which part was slow (see docs/benchmarks.md).
 */
public final class PhaseTimes {

    private final Map<String, Long> millis = Collections.synchronizedMap(new LinkedHashMap<>());
    private long last = System.nanoTime();

    /** Ends the phase that ran since the previous mark (or since creation) under this name. */
    public synchronized void mark(String phase) {
        long now = System.nanoTime();
        add(phase, (now - last) / 1_000_000);
        last = now;
    }

    /** Adds the time since {@code startNanos} (from {@link System#nanoTime()}) under a phase's name. */
    public void addSince(String phase, long startNanos) {
        add(phase, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** Adds time measured elsewhere (for example summed over scripts) under its own name. */
    public void add(String phase, long ms) {
        millis.merge(phase, ms, Long::sum);
    }

    public Map<String, Long> asMap() {
        synchronized (millis) {
            return new LinkedHashMap<>(millis);
        }
    }
}
