package io.dormant.engine.cli;

import io.dormant.adapters.patching.ImagePatcher;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * The resident process that {@link ResidentClient} hands commands to: one command at a time, with
 * the caller's working directory for relative paths and its output relayed over the socket. It
 * ends after {@code DORMANT_RESIDENT_IDLE} seconds without a command (default 600), when its
 * socket is removed, and at once when a caller goes away in the middle of a command: that is what
 * the command would have met in the caller's own JVM, so the library's crash rules cover it.
 */
final class ResidentDaemon {

    static final String COMMAND = "__resident";
    static final String IDLE_VARIABLE = "DORMANT_RESIDENT_IDLE";
    private static final long DEFAULT_IDLE_SECONDS = 600;
    /** The exit status of a JVM ended by SIGINT, which is what the caller's Ctrl-C would have been. */
    private static final int CALLER_GONE = 130;
    /** The process's own output (its log file), kept before commands redirect System.out. */
    private static final PrintStream LOG = System.out;

    private final ResidentKey key;
    private final long idleMillis;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong lastUsed = new AtomicLong(System.currentTimeMillis());

    private ResidentDaemon(ResidentKey key, long idleMillis) {
        this.key = key;
        this.idleMillis = idleMillis;
    }

    /** Serves until idle; returns at once when the environment differs or another process serves. */
    static int serve(String expectedHash) throws IOException {
        Optional<ResidentKey> key = ResidentKey.of(System.getenv());
        if (key.isEmpty() || !key.get().hash().equals(expectedHash)) {
            log("not started: this process's build, options or environment give another key than " + expectedHash);
            return 2;
        }
        long idleSeconds = idleSeconds(System.getenv().get(IDLE_VARIABLE));
        return new ResidentDaemon(key.get(), idleSeconds * 1000).serve();
    }

    static long idleSeconds(String configured) {
        try {
            return configured == null || configured.isBlank() ? DEFAULT_IDLE_SECONDS : Math.max(1, Long.parseLong(configured.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_IDLE_SECONDS;
        }
    }

    private int serve() throws IOException {
        Files.createDirectories(key.directory());
        // The socket exists with the umask's mode until it is narrowed: the directory keeps others out meanwhile.
        Files.setPosixFilePermissions(key.directory(), PosixFilePermissions.fromString("rwx------"));
        try (FileChannel lockFile = FileChannel.open(key.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lockFile.tryLock()) {
            if (held == null) {
                return 0;
            }
            Files.deleteIfExists(key.socket());
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(key.socket()));
                Files.setPosixFilePermissions(key.socket(), PosixFilePermissions.fromString("rw-------"));
                log("serving " + key.socket() + " (pid " + ProcessHandle.current().pid() + ")");
                startWatchdog(server);
                while (server.isOpen()) {
                    SocketChannel caller;
                    try {
                        caller = server.accept();
                    } catch (IOException e) {
                        break;
                    }
                    Thread thread = new Thread(() -> take(caller), "resident-command");
                    thread.setDaemon(true);
                    thread.start();
                }
            } finally {
                Files.deleteIfExists(key.socket());
            }
        }
        ImagePatcher.awaitScratchRemovals(java.time.Duration.ofSeconds(30));
        log("ended: " + idleMillis / 1000 + " s without a command, or the socket was removed");
        return 0;
    }

    /** Ends the process when idle, or when its socket was removed (the home deleted, or by hand). */
    private void startWatchdog(ServerSocketChannel server) {
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                boolean idle = System.currentTimeMillis() - lastUsed.get() > idleMillis;
                if ((idle || !Files.exists(key.socket())) && busy.compareAndSet(false, true)) {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // closing is all that is left to do
                    }
                    return;
                }
            }
        }, "resident-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void take(SocketChannel caller) {
        try (caller) {
            DataInputStream in = ResidentFrames.input(caller);
            DataOutputStream out = ResidentFrames.output(caller);
            ResidentFrames.Request request = ResidentFrames.Request.read(in);
            if (!request.key().equals(key.hash()) || !busy.compareAndSet(false, true)) {
                out.writeByte(ResidentFrames.BUSY);
                out.flush();
                return;
            }
            try {
                out.writeByte(ResidentFrames.ACCEPTED);
                out.flush();
                log("command from the " + request.client() + " client: " + summary(request.arguments()));
                run(request, in, out);
            } finally {
                lastUsed.set(System.currentTimeMillis());
                busy.set(false);
            }
        } catch (IOException e) {
            // the caller went away before its command started; nothing ran
        }
    }

    private void run(ResidentFrames.Request request, DataInputStream in, DataOutputStream out) throws IOException {
        AtomicBoolean finished = new AtomicBoolean();
        watchCaller(in, finished);
        PrintStream callerOut = new PrintStream(new ResidentFrames.FramedStream(ResidentFrames.OUT, out), true, Charset.defaultCharset());
        PrintStream callerErr = new PrintStream(new ResidentFrames.FramedStream(ResidentFrames.ERR, out), true, Charset.defaultCharset());
        PrintStream ownOut = System.out;
        PrintStream ownErr = System.err;
        String[] arguments = request.arguments().toArray(String[]::new);
        int code;
        System.setOut(callerOut);
        System.setErr(callerErr);
        Invocation.forwarded(request.terminal(), request.startedAt());
        try {
            QuietLogging.apply(request.arguments().contains("--debug"));
            CommandLine commandLine = DormantCli.commandLine(arguments);
            Path base = request.workingDirectory();
            commandLine.registerConverter(Path.class, text -> base.resolve(text));
            code = commandLine.execute(arguments);
        } catch (RuntimeException | Error e) {
            callerErr.println("error: " + ErrorReporter.message(e));
            code = ErrorReporter.FAILED;
        } finally {
            callerOut.flush();
            callerErr.flush();
            System.setOut(ownOut);
            System.setErr(ownErr);
            Invocation.reset();
            LibraryAccess.closeOpened();
        }
        finished.set(true);
        ResidentFrames.exit(out, code);
    }

    /**
     * The caller sends nothing after its request: the end of its stream means it is gone (Ctrl-C,
     * killed). The command must not go on for nobody, so the process halts as the caller's JVM would.
     */
    private static void watchCaller(DataInputStream in, AtomicBoolean finished) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // a well-behaved caller sends nothing more
                }
            } catch (IOException gone) {
                // same as the end of the stream
            }
            if (!finished.get()) {
                log("the caller went away during a command; ending as its own JVM would have");
                Runtime.getRuntime().halt(CALLER_GONE);
            }
        }, "resident-caller");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The command's first words and how many arguments follow: file lists can be long. */
    private static String summary(List<String> arguments) {
        int shown = Math.min(2, arguments.size());
        String words = String.join(" ", arguments.subList(0, shown));
        return arguments.size() > shown ? words + " (and " + (arguments.size() - shown) + " arguments)" : words;
    }

    private static void log(String message) {
        LOG.println(Instant.now() + " " + message);
    }
}
