package io.dormant.library.fs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Worker pools of importers and exporters. */
public final class Pools {
    private Pools() {
    }

    /**
     * Stops a pool and waits for its running tasks, so that a failed operation returns only
     * after every temp file its workers made is gone.
     */
    public static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
