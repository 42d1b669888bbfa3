package io.dormant.adapters.confine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The confine tier: runs one install-time script against an image tree (normally the merged dir of
 * an {@link OverlayMount}) in a bubblewrap sandbox, so the tree is the script's whole world and
 * nothing of the host or of a running system is touched. Process-starting commands are recorded by
 * shims ({@link CommandShims}) and come back as {@link ConfinedResult#deferred()}. When the image
 * boots systemd, the sandbox shows {@code /run/systemd/system} as a live system would, so scripts
 * take the branch they will take at first boot (debhelper's {@code deb-systemd-invoke}), which is
 * the one worth recording.
 */
public final class ConfinedScript {

    /** How much of the script's combined output a result keeps: the end, where failures are explained. */
    public static final int OUTPUT_LIMIT = 64 * 1024;
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final Path bwrap;
    private final Path scratchParent;
    private final HelperCalls helpers;

    /** Uses {@code /usr/bin/bwrap} and the JVM's temp dir for the host-side files of a run. */
    public ConfinedScript() {
        this(Path.of("/usr/bin/bwrap"), Path.of(System.getProperty("java.io.tmpdir")));
    }

    public ConfinedScript(Path bwrap, Path scratchParent) {
        this(bwrap, scratchParent, HelperCalls.NONE);
    }

    private ConfinedScript(Path bwrap, Path scratchParent, HelperCalls helpers) {
        this.bwrap = bwrap;
        this.scratchParent = scratchParent;
        this.helpers = helpers;
    }

    /** The same sandbox, keeping the host-side files of each run in a directory under {@code scratch}. */
    public ConfinedScript withScratch(Path scratch) {
        return new ConfinedScript(bwrap, scratch, helpers);
    }

    /** The same sandbox, with these helper commands answered by Dormant while a script runs. */
    public ConfinedScript answering(HelperCalls calls) {
        return new ConfinedScript(bwrap, scratchParent, calls);
    }

    /**
     * Runs the script with {@code root} as {@code /}. Writes land in {@code root} (so in the upper dir
     * of an overlay); the image's own files are otherwise left as they were. A script that fails or
     * times out is a result; a sandbox that cannot be set up is a {@link ConfineException}.
     */
    public ConfinedResult run(Path root, ScriptInvocation invocation) throws IOException {
        Path image = checkedRoot(root);
        if (!Files.isExecutable(bwrap)) {
            throw new ConfineException("cannot confine " + invocation.fileName() + ": bubblewrap is not at " + bwrap
                    + " (install the 'bubblewrap' package)");
        }
        Path scratch = Files.createTempDirectory(scratchParent, "confine-");
        try {
            CommandShims shims = CommandShims.prepare(image, scratch);
            try (ForwardedCalls forwarded = ForwardedCalls.start(image, scratch, helpers)) {
                return runSandbox(image, scratch, shims, forwarded, invocation);
            } finally {
                shims.removeMountPoints();
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private ConfinedResult runSandbox(Path image, Path scratch, CommandShims shims, ForwardedCalls forwarded,
                                      ScriptInvocation invocation) throws IOException {
        Path record = Files.createFile(scratch.resolve("deferred"));
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path script = scratch.resolve(invocation.fileName());
        byte[] bytes = invocation.script();
        Files.write(script, bytes);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<SandboxBind> binds = new ArrayList<>(shims.binds());
        binds.addAll(forwarded.binds());
        binds.add(SandboxBind.writable(record, CommandShims.RECORD));
        binds.add(SandboxBind.readOnly(script, SandboxCommand.scriptPath(invocation)));
        boolean interpreterLine = bytes.length > 2 && bytes[0] == '#' && bytes[1] == '!';
        ProcessBuilder builder = new ProcessBuilder(SandboxCommand.arguments(bwrap, image, binds, invocation,
                interpreterLine, bootsSystemd(image)))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(SandboxCommand.environment(invocation));

        long started = System.nanoTime();
        Process process = builder.start();
        OutputTail output = new OutputTail(OUTPUT_LIMIT);
        Thread reader = new Thread(() -> {
            try {
                output.drain(process.getInputStream());
            } catch (IOException e) {
                // the sandbox was killed mid-write; what was read so far is the output
            }
        }, "confine-output-" + invocation.fileName());
        reader.setDaemon(true);
        reader.start();
        boolean timedOut = !waitFor(process, invocation.timeout());
        if (timedOut) {
            kill(process);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        joinQuietly(reader);
        return new ConfinedResult(process.exitValue(), output.text(), output.truncated(), duration, timedOut,
                RecordedCommand.parse(Files.readAllBytes(record)), forwarded.answered());
    }

    private static Path checkedRoot(Path root) throws IOException {
        Path real = root.toRealPath();
        if (real.getParent() == null) {
            throw new ConfineException("refusing to confine a script with the host's own root as the image root");
        }
        if (!Files.isDirectory(real.resolve("usr"))) {
            throw new ConfineException("cannot confine a script in " + root + ": it has no /usr, so it is not an image tree");
        }
        return real;
    }

    /** Whether the image's /sbin/init is systemd, which is what its scripts will meet at first boot. */
    static boolean bootsSystemd(Path image) throws IOException {
        String init = ImagePaths.canonical(image, "/sbin/init");
        return init != null && init.endsWith("/systemd") && Files.isRegularFile(ImagePaths.host(image, init));
    }

    /** Kills every process of the sandbox: with its own pid namespace, killing bwrap ends them all. */
    private static void kill(Process process) throws ConfineException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!waitFor(process, KILL_GRACE)) {
            throw new ConfineException("the sandbox (bwrap pid " + process.pid() + ") did not die within "
                    + KILL_GRACE.toSeconds() + " s of SIGKILL; check for processes left behind");
        }
    }

    private static boolean waitFor(Process process, Duration timeout) throws ConfineException {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new ConfineException("interrupted while a confined script ran; the sandbox was killed", e);
        }
    }

    private static void joinQuietly(Thread reader) {
        try {
            reader.join(KILL_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
