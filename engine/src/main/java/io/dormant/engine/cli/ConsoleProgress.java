package io.dormant.engine.cli;

import io.dormant.library.progress.CountingProgress;
import io.dormant.library.progress.Progress;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints files, bytes and rate of a long operation on stderr, once a second after the first second,
 * so short commands stay quiet and long ones show they are alive. On a terminal the line is
 * rewritten in place; in a log every line stays.
 */
final class ConsoleProgress implements Progress, AutoCloseable {

    private final String verb;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final CountingProgress counts = new CountingProgress();
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer;
    private boolean printed;

    ConsoleProgress(String verb, PrintStream out, boolean enabled) {
        this.verb = verb;
        this.out = out;
        this.timer = enabled ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (timer != null) {
            timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void advance(long files, long bytes) {
        counts.advance(files, bytes);
    }

    private synchronized void print() {
        double seconds = (System.nanoTime() - started) / 1e9;
        String line = String.format("%s: %,d files, %s, %s/s", verb, counts.files(), Sizes.human(counts.bytes()),
                Sizes.human((long) (counts.bytes() / Math.max(seconds, 0.001))));
        out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
        out.flush();
        printed = true;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (printed && terminal) {
            out.println();
        }
    }
}
