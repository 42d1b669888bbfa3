package io.dormant.library.db;

import io.dormant.library.posix.ShellWords;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL that serves one {@code DORMANT_HOME} when no external database is configured. Its
 * files live under {@code DORMANT_HOME/postgres}; whichever process comes first starts it, the others
 * connect to it, and it keeps running for them until {@code dormant db stop}. It listens on loopback
 * only, with a generated password kept in a file only its owner can read.
 */
public final class EmbeddedPostgres {

    static final String DATABASE = "dormant";
    static final String ROLE = "dormant";
    private static final int START_TIMEOUT_SECONDS = 90;
    /** sun_path holds 108 bytes with its terminating NUL; PostgreSQL checks the same. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Servers this JVM started, so that a test run can stop what it started and nothing else. */
    private static final java.util.Set<EmbeddedPostgres> STARTED_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Map<String, String> environment;

    public EmbeddedPostgres(Path dormantHome, Map<String, String> environment) {
        this.directory = dormantHome.toAbsolutePath().normalize().resolve("postgres");
        this.environment = environment;
    }

    public Path directory() {
        return directory;
    }

    private Path data() {
        return directory.resolve("data");
    }

    private Path log() {
        return directory.resolve("server.log");
    }

    /** Connects to the running server, starting (and on first use creating) it when needed. */
    public DatabaseSettings start() {
        prepareDirectory();
        // One process at a time decides whether to create or start the server; the lock is released
        // when the channel closes, also when the process dies.
        try (FileChannel channel = FileChannel.open(directory.getParent().resolve("postgres.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            PidFile running = PidFile.read(data());
            if (running != null && running.isAlive()) {
                return settings(running.port());
            }
            // Only now: finding the account starts a process, which a command pays at every run.
            ServerAccount account = ServerAccount.forCurrentProcess(environment.get(ServerAccount.USER_VARIABLE));
            if (!Files.exists(data().resolve("PG_VERSION"))) {
                create(account);
            }
            if (running != null) {
                // A server killed with -9 (or a reboot) leaves its pid file behind; when that pid now
                // belongs to another process, PostgreSQL would refuse to start, so drop the stale file.
                Files.deleteIfExists(data().resolve("postmaster.pid"));
            }
            return launch(account);
        } catch (IOException e) {
            throw new DatabaseException("cannot use " + directory + ": " + e.getMessage(), e);
        }
    }

    /** True when a server for this home is running. */
    public boolean isRunning() {
        PidFile pid = PidFile.read(data());
        return pid != null && pid.isAlive();
    }

    /** Stops the server (fast shutdown: open sessions are ended, nothing is lost). */
    public boolean stop() {
        if (!isRunning()) {
            return false;
        }
        ServerAccount account = ServerAccount.forCurrentProcess(environment.get(ServerAccount.USER_VARIABLE));
        Command.Result result = new Command(account.command(List.of(binaries().program("pg_ctl"),
                "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop")), directory).run(90);
        if (!result.succeeded()) {
            throw new DatabaseException("cannot stop the embedded PostgreSQL in " + data() + ": " + result.output());
        }
        return true;
    }

    /** Stops every server that this JVM started (for test runs, which must not leave servers behind). */
    public static void stopAllStartedHere() {
        for (EmbeddedPostgres postgres : STARTED_HERE) {
            try {
                postgres.stop();
            } catch (DatabaseException e) {
                System.err.println("warning: " + e.getMessage());
            }
        }
        STARTED_HERE.clear();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedPostgres that && that.directory.equals(directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    private void prepareDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DatabaseException("DORMANT_HOME " + directory.getParent() + " is not writable (" + e
                    + "); set DORMANT_HOME to a directory you can write");
        }
        if (!Files.isWritable(directory.getParent())) {
            throw new DatabaseException("DORMANT_HOME " + directory.getParent()
                    + " is not writable; set DORMANT_HOME to a directory you can write");
        }
    }

    private void create(ServerAccount account) throws IOException {
        deleteRecursively(data());
        String password = HexFormat.of().formatHex(randomBytes());
        Path passwordFile = directory.resolve("password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        account.takeOwnership(directory);
        List<String> initdb = List.of(binaries().program("initdb"), "-D", data().toString(), "-U", ROLE,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
                "--no-instructions");
        Command.Result result = new Command(account.command(initdb), directory).run(180);
        if (!result.succeeded()) {
            deleteRecursively(data());
            throw new DatabaseException("cannot create the embedded PostgreSQL in " + data() + ": " + result.output());
        }
    }

    private DatabaseSettings launch(ServerAccount account) throws IOException {
        int port = freePort();
        Path sockets = directory.resolve("run");
        Files.createDirectories(sockets);
        account.takeOwnership(sockets);
        List<String> argv = new ArrayList<>(List.of(binaries().program("pg_ctl"), "-D", data().toString(),
                "-l", log().toString(), "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS),
                "-o", "-p " + port + socketOption(sockets, port) + " -c listen_addresses=127.0.0.1", "start"));
        Command.Result result = new Command(account.command(argv), directory).run(START_TIMEOUT_SECONDS + 30);
        if (!result.succeeded()) {
            throw new DatabaseException("the embedded PostgreSQL in " + data() + " did not start: "
                    + result.output() + "; its log is " + log());
        }
        STARTED_HERE.add(this);
        DatabaseSettings settings = settings(port);
        ensureDatabase(port, settings.password());
        return settings;
    }

    /**
     * Where the server makes its Unix socket, for an admin's psql: in the home's {@code run/}, unless
     * that path would pass the 107 bytes a socket's name may have, at which PostgreSQL refuses to
     * start at all. Dormant itself connects over loopback TCP, so a deep home gets no socket. pg_ctl
     * hands these options to a shell: a home with a space or a quote must stay one word.
     */
    private static String socketOption(Path sockets, int port) {
        String socket = sockets + "/.s.PGSQL." + port;
        return socket.getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES
                ? " -k " + ShellWords.quote(sockets.toString()) : " -c unix_socket_directories=''";
    }

    private void ensureDatabase(int port, String password) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, ROLE, password);
             var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                connection.createStatement().execute("create database " + DATABASE);
            }
            cheapenVerifier(connection, password);
        } catch (SQLException e) {
            throw new DatabaseException("the embedded PostgreSQL started but cannot be prepared: " + e.getMessage(), e);
        }
    }

    /**
     * Gives the role a verifier with few iterations ({@link ScramVerifier}), once per home: initdb
     * writes one with PostgreSQL's default of 4096.
     */
    private static void cheapenVerifier(Connection connection, String password) throws SQLException {
        String current;
        try (var stored = connection.prepareStatement("select rolpassword from pg_authid where rolname = ?")) {
            stored.setString(1, ROLE);
            var rows = stored.executeQuery();
            current = rows.next() ? rows.getString(1) : null;
        }
        if (ScramVerifier.iterations(current) == ScramVerifier.EMBEDDED_ITERATIONS) {
            return;
        }
        String verifier = ScramVerifier.of(password, randomBytes(16), ScramVerifier.EMBEDDED_ITERATIONS);
        // A verifier holds no quote; ALTER ROLE takes no bind parameters.
        connection.createStatement().execute("alter role " + ROLE + " password '" + verifier + "'");
    }

    private DatabaseSettings settings(int port) {
        try {
            String password = Files.readString(directory.resolve("password")).strip();
            return new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, ROLE, password, true);
        } catch (IOException e) {
            throw new DatabaseException("the password of the embedded PostgreSQL is missing (" + directory.resolve("password")
                    + "); move " + data() + " away to create a new, empty database", e);
        }
    }

    private PostgresBinaries binaries() {
        String major = null;
        try {
            Path version = data().resolve("PG_VERSION");
            if (Files.exists(version)) {
                major = Files.readString(version).strip();
            }
        } catch (IOException e) {
            // unreadable version file: fall back to the newest server, which then reports the mismatch
        }
        return PostgresBinaries.locate(environment.get(PostgresBinaries.OVERRIDE_VARIABLE), major);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] randomBytes() {
        return randomBytes(24);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The server's own {@code postmaster.pid}: its first line is the pid, its fourth the port. */
    record PidFile(long pid, int port) {

        static PidFile read(Path data) {
            try {
                List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
                if (lines.size() < 4) {
                    return new PidFile(-1, -1);
                }
                return new PidFile(Long.parseLong(lines.get(0).strip()), Integer.parseInt(lines.get(3).strip()));
            } catch (IOException e) {
                return null;
            } catch (NumberFormatException e) {
                return new PidFile(-1, -1);
            }
        }

        /** Alive means a postgres process with that pid exists, not merely some process. */
        boolean isAlive() {
            if (pid <= 0) {
                return false;
            }
            try {
                String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
                return name.startsWith("postgres");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
