package io.dormant.library.disk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One run of a host tool (qemu-img, guestfish) whose standard output the caller reads, while its
 * standard error is kept, the last few kilobytes of it, for the error message should it fail.
 */
final class HostCommand {
    private static final int KEPT_ERROR_BYTES = 8 << 10;

    private final List<String> argv;
    private final Map<String, String> environment;
    private final boolean input;

    HostCommand(List<String> argv, Map<String, String> environment) {
        this(argv, environment, false);
    }

    private HostCommand(List<String> argv, Map<String, String> environment, boolean input) {
        this.argv = List.copyOf(argv);
        this.environment = Map.copyOf(environment);
        this.input = input;
    }

    /** The same command with its standard input a pipe the caller writes, instead of /dev/null. */
    HostCommand withInput() {
        return new HostCommand(argv, environment, true);
    }

    /** Runs qemu-img with {@code arguments} and returns what it printed. */
    static String qemuImg(List<String> arguments) throws IOException {
        List<String> argv = new java.util.ArrayList<>();
        argv.add("qemu-img");
        argv.addAll(arguments);
        return new HostCommand(argv, Map.of()).runForOutput("qemu-img (apt-get install qemu-utils)");
    }

    /** Runs to the end and returns what it printed; {@code tool} names it and its package for the error. */
    String runForOutput(String tool) throws IOException {
        Running running = start(tool);
        byte[] out = running.stdout().readAllBytes();
        running.finish();
        return new String(out, StandardCharsets.UTF_8);
    }

    Running start(String tool) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (!input) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DiskImageException("cannot run " + tool + ": " + e.getMessage(), e);
        }
        return new Running(process, tool);
    }

    /** A started command; {@link #finish()} waits for it and fails with its error output. */
    final class Running {
        private final Process process;
        private final String tool;
        private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        private final Thread errorReader;

        private Running(Process process, String tool) {
            this.process = process;
            this.tool = tool;
            this.errorReader = new Thread(this::keepErrors, "dormant-disk-stderr");
            errorReader.setDaemon(true);
            errorReader.start();
        }

        InputStream stdout() {
            return process.getInputStream();
        }

        java.io.OutputStream stdin() {
            return process.getOutputStream();
        }

        /** Waits for the exit; a failure becomes a {@link DiskImageException} with the tool's last words. */
        void finish() throws IOException {
            int exit;
            try {
                exit = process.waitFor();
                errorReader.join();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + tool + " ran", e);
            }
            if (exit != 0) {
                throw new DiskImageException(tool + " failed (exit code " + exit + "): " + errorText());
            }
        }

        /** True when the command ended with a failure within {@code wait}. */
        boolean exitedWithFailure(java.time.Duration wait) {
            try {
                return process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() != 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Stops the command, e.g. after its reader failed. */
        void kill() {
            process.destroyForcibly();
        }

        String errorText() {
            synchronized (errors) {
                String text = errors.toString(StandardCharsets.UTF_8).strip();
                return text.isEmpty() ? "(it printed nothing)" : text;
            }
        }

        private void keepErrors() {
            byte[] buffer = new byte[4096];
            try (InputStream err = process.getErrorStream()) {
                int n;
                while ((n = err.read(buffer)) > 0) {
                    synchronized (errors) {
                        errors.write(buffer, 0, n);
                        if (errors.size() > KEPT_ERROR_BYTES) {
                            byte[] all = errors.toByteArray();
                            errors.reset();
                            errors.write(all, all.length - KEPT_ERROR_BYTES / 2, KEPT_ERROR_BYTES / 2);
                        }
                    }
                }
            } catch (IOException e) {
                // The command was killed or closed its error output: what was kept is all there is.
            }
        }
    }
}
