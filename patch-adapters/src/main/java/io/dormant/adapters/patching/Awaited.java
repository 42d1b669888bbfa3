package io.dormant.adapters.patching;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work done on another thread, with its own error as if it had been done here. */
final class Awaited {

    private Awaited() {
    }

    /** {@code doing} completes "interrupted while …" and wraps a checked failure that is not an IOException. */
    static <T> T result(Future<T> work, String doing) throws IOException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(doing + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + doing);
        }
    }
}
