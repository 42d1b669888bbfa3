package io.dormant.engine.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Hands {@code patch apply} to a resident Dormant process, starting one when none answers. A JVM
 * spends seconds of CPU warming up (interpreting and compiling) on every apply; the resident
 * process has done that once, for all the applies of a campaign run from the command line. The
 * command runs there exactly as it would here: same build, options and environment (see
 * {@link ResidentKey}), relative paths taken from here, output and exit code relayed back. When
 * the resident process is busy, cannot start or is switched off, the command runs here.
 */
final class ResidentClient {

    private static final long START_TIMEOUT_MILLIS = 20_000;
    private static final List<String> LOCAL_FLAGS = List.of("-h", "--help", "-V", "--version");

    private ResidentClient() {
    }

    /** The exit code of the command run by the resident process; empty when it must run here. */
    static OptionalInt run(String[] arguments) {
        if (!delegated(arguments)) {
            return OptionalInt.empty();
        }
        var key = ResidentKey.of(System.getenv());
        if (key.isEmpty()) {
            return OptionalInt.empty();
        }
        SocketChannel connected = connect(key.get().socket());
        if (connected == null) {
            Process started = start(key.get());
            connected = started == null ? null : await(key.get().socket(), started);
        }
        if (connected == null) {
            return OptionalInt.empty();
        }
        try (SocketChannel channel = connected) {
            DataOutputStream out = ResidentFrames.output(channel);
            new ResidentFrames.Request(key.get().hash(), ResidentFrames.JVM_CLIENT, Path.of("").toAbsolutePath(), Invocation.terminal(),
                    Invocation.startedAt(), Arrays.asList(arguments)).write(out);
            DataInputStream in = ResidentFrames.input(channel);
            if (in.read() != ResidentFrames.ACCEPTED) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(relay(in, key.get()));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    static boolean delegated(String[] arguments) {
        if (arguments.length < 2 || !arguments[0].equals("patch") || !arguments[1].equals("apply")) {
            return false;
        }
        for (String argument : arguments) {
            if (LOCAL_FLAGS.contains(argument)) {
                return false;
            }
        }
        return true;
    }

    /** Copies the command's output here until its exit code arrives. */
    private static int relay(DataInputStream in, ResidentKey key) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                byte kind = in.readByte();
                if (kind == ResidentFrames.EXIT) {
                    return in.readInt();
                }
                int length = in.readInt();
                OutputStream target = kind == ResidentFrames.OUT ? stdout : stderr;
                while (length > 0) {
                    int read = in.read(buffer, 0, Math.min(buffer.length, length));
                    if (read < 0) {
                        throw new EOFException();
                    }
                    target.write(buffer, 0, read);
                    length -= read;
                }
                target.flush();
            }
        } catch (IOException e) {
            System.err.println("error: the resident Dormant process ended before the command finished; see "
                    + key.log() + ", then run the command again (DORMANT_RESIDENT=0 runs it without one)");
            return ErrorReporter.FAILED;
        }
    }

    /** Starts a resident process in a session of its own, so that a terminal's signals do not reach it. */
    private static Process start(ResidentKey key) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String classPath = System.getProperty("java.class.path");
        if (classPath.contains(java.io.File.pathSeparator)) {
            command.addAll(List.of("-cp", classPath, DormantCli.class.getName()));
        } else {
            command.addAll(List.of("-jar", classPath));
        }
        command.addAll(List.of(ResidentDaemon.COMMAND, key.hash()));
        try {
            Files.createDirectories(key.directory());
            return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(key.log().toFile())).start();
        } catch (IOException e) {
            return null;
        }
    }

    private static SocketChannel connect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            return null;
        }
    }

    /** Waits for a starting resident process to listen; gives up when it ended or took too long. */
    private static SocketChannel await(Path socket, Process starting) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            boolean alive = starting.isAlive();
            SocketChannel channel = connect(socket);
            if (channel != null || !alive) {
                // One that ended may have found another resident process serving the same key.
                return channel;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
