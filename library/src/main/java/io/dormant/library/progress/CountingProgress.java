package io.dormant.library.progress;

import java.util.concurrent.atomic.AtomicLong;

/** Counts what was reported; a front end reads it from a timer to print a rate. */
public final class CountingProgress implements Progress {
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void advance(long f, long b) {
        files.addAndGet(f);
        bytes.addAndGet(b);
    }

    public long files() {
        return files.get();
    }

    public long bytes() {
        return bytes.get();
    }
}
