package io.dormant.engine.cli;

import io.dormant.library.progress.CountingProgress;
import io.dormant.library.progress.Progress;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints files, bytes and rate of a long operation on stderr, once a second after the first second,
 * so short commands stay quiet and long ones show they are alive. An operation of several steps
 * names the current one ({@link #phase}); a step that counts nothing shows how long it has run. On
 * a terminal the line is rewritten in place; in a log a line is written only when it changed.
 */
final class ConsoleProgress implements Progress, AutoCloseable {

    private final PrintStream out;
    private final boolean terminal = Invocation.terminal();
    private final ScheduledExecutorService timer;
    private volatile String verb;
    private volatile CountingProgress counts = new CountingProgress();
    private volatile long started = System.nanoTime();
    private boolean printed;
    private String lastLine = "";

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

    @Override
    public synchronized void phase(String description) {
        verb = description;
        counts = new CountingProgress();
        started = System.nanoTime();
    }

    private synchronized void print() {
        double seconds = (System.nanoTime() - started) / 1e9;
        CountingProgress now = counts;
        // In a log, a step that counts nothing is one line; on a terminal it shows its seconds.
        String line = now.files() == 0 && now.bytes() == 0
                ? (terminal ? String.format("%s (%.0f s)", verb, Math.floor(seconds)) : verb)
                : String.format("%s: %,d files, %s, %s/s", verb, now.files(), Sizes.human(now.bytes()),
                        Sizes.human((long) (now.bytes() / Math.max(seconds, 0.001))));
        if (!terminal && line.equals(lastLine)) {
            return;
        }
        if (terminal && line.length() < lastLine.length()) {
            line = line + " ".repeat(lastLine.length() - line.length());
        }
        lastLine = line;
        out.print(terminal ? "\r" + line : line + System.lineSeparator());
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
