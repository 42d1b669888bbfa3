package io.dormant.adapters.confine;

import io.dormant.library.posix.DirectoryHandle;
import io.dormant.library.posix.Posix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The channel between a confined script's helper commands and {@link HelperCalls}: a forwarding
 * shim ({@code forward.sh}) is bound over each answered command, and a thread of the JVM serves
 * its requests while the sandbox runs. The JVM makes {@value #SLOTS} call slots under
 * {@code /run/dormant/calls}, each a directory with its reply FIFO, so that a call forks no
 * {@code mktemp}, {@code mkfifo} or {@code rm} (about 10 ms of a call here, and PHP's scripts make
 * hundreds): a call takes a free slot by creating its {@code lock} exclusively (the shell's
 * noclobber), leaves its request there and names the slot on the {@code requests} FIFO; the answer
 * ("exit CODE LENGTH" and the command's standard error, or "run") comes back on the slot's FIFO,
 * and its standard output, if any, in a file {@code stdout} beside it; "done SLOT" on the
 * {@code requests} FIFO, once the answer is read, makes the JVM empty the slot for the next call. The sandbox can write to that directory, so every file there is opened through a handle
 * on the call's directory, never by following a name it could have swapped.
 */
final class ForwardedCalls implements AutoCloseable {

    static final String CALLS = "/run/dormant/calls";
    static final String REAL = "/run/dormant/real/";
    /** Commands named so are Dormant's own, for rewritten scripts, seen at {@link #OWN_BIN}. */
    static final String OWN_PREFIX = "dormant-";
    static final String OWN_BIN = "/run/dormant/bin/";
    /** The part of dpkg's environment the helpers read; a call names each as set or not. */
    static final List<String> ENVIRONMENT = List.of("DPKG_MAINTSCRIPT_PACKAGE", "DPKG_MAINTSCRIPT_NAME",
            "DPKG_MAINTSCRIPT_ARCH", "DPKG_ROOT", "DPKG_MAINTSCRIPT_DEBUG", "_DEB_SYSTEMD_HELPER_DEBUG",
            "_DEB_SYSTEMD_HELPER_PURGE", "UCF_FORCE_CONFFOLD", "UCF_FORCE_CONFFNEW", "UCF_FORCE_CONFFMISS",
            "UCF_STATE_DIR", "UCF_SOURCE_DIR", "UCF_OLD_MDSUM_FILE", "RETAIN_OLD", "DEBCONF_OK", "DEBCONF_ALREADY_RUNNING");
    private static final List<String> BIN_DIRS = List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/");
    /** Calls at once; a call that finds every slot taken runs the image's own command. */
    static final int SLOTS = 16;
    private static final Pattern SLOT = Pattern.compile("slot\\.([0-9]|1[0-5])");
    private static final String DONE = "done ";
    private static final int REQUEST_LIMIT = 1 << 20;
    private static final String STOP = "";

    private final Path root;
    private final Path dir;
    private final HelperCalls calls;
    private final List<SandboxBind> binds = new ArrayList<>();
    private final List<String> answered = Collections.synchronizedList(new ArrayList<>());
    /** Each slot's reply FIFO, opened at its first call and kept open until the run ends. */
    private final Map<String, FileChannel> replies = Collections.synchronizedMap(new LinkedHashMap<>());
    private FileChannel requests;
    private Thread server;

    private ForwardedCalls(Path root, Path dir, HelperCalls calls) {
        this.root = root;
        this.dir = dir;
        this.calls = calls;
    }

    /** Binds a forwarding shim over each answered command the image has, and starts serving. */
    static ForwardedCalls start(Path root, Path scratch, HelperCalls calls) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("calls"));
        ForwardedCalls forwarded = new ForwardedCalls(root, dir, calls);
        Path shims = Files.createDirectories(scratch.resolve("forward"));
        for (String command : calls.commands()) {
            Set<String> targets = new LinkedHashSet<>();
            boolean own = command.startsWith(OWN_PREFIX);
            for (String bin : own ? List.<String>of() : BIN_DIRS) {
                String canonical = ImagePaths.canonical(root, bin + command);
                if (canonical != null && Files.isRegularFile(ImagePaths.host(root, canonical), LinkOption.NOFOLLOW_LINKS)) {
                    targets.add(canonical);
                }
            }
            if (targets.isEmpty() && !own) {
                continue;
            }
            Path shim = shims.resolve(command);
            Files.writeString(shim, CommandShims.resource("forward.sh").replace("@COMMAND@", command)
                    .replace("@ENVIRONMENT@", String.join(" ", ENVIRONMENT))
                    .replace("@SLOTS@", String.join(" ", java.util.stream.IntStream.range(0, SLOTS).mapToObj(Integer::toString).toList())),
                    StandardCharsets.UTF_8);
            Posix.chmod(shim, 0755);
            if (own) {
                // Dormant's own command has no real one: unanswered, the shim fails with 127.
                forwarded.binds.add(SandboxBind.readOnly(shim, OWN_BIN + command));
                continue;
            }
            forwarded.binds.add(SandboxBind.readOnly(ImagePaths.host(root, targets.iterator().next()), REAL + command));
            for (String target : targets) {
                forwarded.binds.add(SandboxBind.readOnly(shim, target));
            }
        }
        if (!forwarded.binds.isEmpty()) {
            Path fifo = dir.resolve("requests");
            Posix.mknod(fifo, Posix.S_IFIFO, 0600, 0, 0);
            for (int slot = 0; slot < SLOTS; slot++) {
                Path made = Files.createDirectory(dir.resolve("slot." + slot));
                Posix.mknod(made.resolve("reply"), Posix.S_IFIFO, 0600, 0, 0);
            }
            // Read and write: the FIFO never reports end of file between two calls.
            forwarded.requests = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
            forwarded.server = new Thread(forwarded::serve, "confine-helper-calls");
            forwarded.server.setDaemon(true);
            forwarded.server.start();
            forwarded.binds.add(SandboxBind.writable(dir, CALLS));
        }
        return forwarded;
    }

    List<SandboxBind> binds() {
        return List.copyOf(binds);
    }

    /** What was performed instead of run, one line per call, in call order. */
    List<String> answered() {
        synchronized (answered) {
            return List.copyOf(answered);
        }
    }

    private void serve() {
        try {
            // Through an InputStream: a Reader made from the channel waits to fill its buffer.
            BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(requests),
                    StandardCharsets.UTF_8));
            for (String name = lines.readLine(); name != null && !name.equals(STOP); name = lines.readLine()) {
                if (SLOT.matcher(name).matches()) {
                    serve(name);
                } else if (name.startsWith(DONE) && SLOT.matcher(name.substring(DONE.length())).matches()) {
                    free(name.substring(DONE.length()));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the run is over and the FIFO closed under the reader
        }
    }

    private void serve(String name) {
        try (DirectoryHandle call = DirectoryHandle.open(dir.resolve(name))) {
            String reply;
            Optional<HelperReply> answer = request(call).flatMap(this::answer);
            if (answer.isPresent()) {
                if (!answer.get().stdout().isEmpty()) {
                    // Created, never opened if there: the sandbox cannot point it elsewhere.
                    Files.write(call.resolve("stdout"), answer.get().stdout().getBytes(StandardCharsets.UTF_8),
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                }
                byte[] stderr = answer.get().stderr().getBytes(StandardCharsets.UTF_8);
                reply = "exit " + answer.get().exitCode() + " " + stderr.length + "\n" + answer.get().stderr();
                answered.add(answer.get().description());
            } else {
                reply = "run\n";
            }
            FileChannel channel = replies.get(name);
            if (channel == null) {
                channel = FileChannel.open(call.resolve("reply"), StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                // Kept open until the run ends: closed now, a reply not yet read would be lost with the pipe.
                replies.put(name, channel);
            }
            ByteBuffer bytes = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            // No answer: the shim waits until the run is killed for its time, so the script fails
            // and the apply with it; what the call did stays in the overlay, which is thrown away.
        }
    }

    /** Empties a slot whose call has read its answer; its lock goes last, so the next call finds it empty. */
    private void free(String name) {
        try (DirectoryHandle call = DirectoryHandle.open(dir.resolve(name))) {
            Files.deleteIfExists(call.resolve("stdout"));
            Files.deleteIfExists(call.resolve("request"));
            Files.deleteIfExists(call.resolve("lock"));
        } catch (IOException | RuntimeException e) {
            // the slot stays taken; the calls after it take the others, or run their commands
        }
    }

    private Optional<HelperReply> answer(HelperCall call) {
        try {
            return calls.answer(root, call);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The call's command, arguments and environment, or empty when the request is not well formed. */
    private Optional<HelperCall> request(DirectoryHandle call) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(call.resolve("request"), LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(REQUEST_LIMIT + 1);
        }
        if (bytes.length > REQUEST_LIMIT) {
            return Optional.empty();
        }
        List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
        if (lines.size() < 2 || !calls.commands().contains(lines.get(0))) {
            return Optional.empty();
        }
        int count;
        try {
            count = Integer.parseInt(lines.get(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (count < 0 || lines.size() != 2 + count + ENVIRONMENT.size() + 1) {
            return Optional.empty();
        }
        List<String> args = lines.subList(2, 2 + count);
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < ENVIRONMENT.size(); i++) {
            String line = lines.get(2 + count + i);
            String prefix = ENVIRONMENT.get(i) + " ";
            if (line.startsWith(prefix + "1 ")) {
                environment.put(ENVIRONMENT.get(i), line.substring(prefix.length() + 2));
            } else if (!line.equals(prefix + "0 ")) {
                return Optional.empty();
            }
        }
        return Optional.of(new HelperCall(lines.get(0), args, environment));
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            // A line of its own ends the server; the FIFO is open for reading, so this write does not wait.
            try (FileChannel stop = FileChannel.open(dir.resolve("requests"), StandardOpenOption.WRITE)) {
                stop.write(ByteBuffer.wrap((STOP + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            try {
                server.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            requests.close();
        }
        synchronized (replies) {
            for (FileChannel reply : replies.values()) {
                reply.close();
            }
            replies.clear();
        }
    }
}
