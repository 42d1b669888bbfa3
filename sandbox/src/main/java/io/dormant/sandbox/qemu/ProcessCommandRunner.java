package io.dormant.sandbox.qemu;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands as local processes. */
final class ProcessCommandRunner implements CommandRunner {

    /**
     * How long to wait for a killed process to be reaped. A process stuck inside a KVM ioctl may not
     * die at once, and the caller's deadline matters more than seeing it gone.
     */
    private static final Duration KILL_GRACE = Duration.ofMillis(500);
    private static final int OUTPUT_TAIL = 2000;

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws IOException {
        // Output goes to a file, not a pipe: nobody has to drain it, and a chatty process cannot block.
        Path log = Files.createTempFile("dormant-command-", ".log");
        long start = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            boolean finished = waitFor(process, timeout);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!finished) {
                kill(process);
                return CommandResult.killedAfter(elapsed, tail(log));
            }
            return CommandResult.exited(process.exitValue(), tail(log), elapsed);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) throws InterruptedIOException {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + process.info().command().orElse("a command"));
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) throws IOException {
        // Lenient decoding: a failing process may print anything, and its error must still reach the user.
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        return output.length() <= OUTPUT_TAIL ? output : output.substring(output.length() - OUTPUT_TAIL);
    }
}
