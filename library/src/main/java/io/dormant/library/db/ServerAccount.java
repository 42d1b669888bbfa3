package io.dormant.library.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The account the embedded PostgreSQL server runs as. PostgreSQL refuses to run as root, so a root
 * JVM hands the server to an unprivileged account (Debian's {@code postgres} by default) and must
 * make the data directory reachable to it: the home of root is mode 700, so each ancestor that the
 * account cannot search gets a search-only ACL entry for that one account, and nothing more.
 */
final class ServerAccount {

    static final String USER_VARIABLE = "DORMANT_PG_USER";

    private final String user;

    private ServerAccount(String user) {
        this.user = user;
    }

    static ServerAccount forCurrentProcess(String override) {
        if (!runningAsRoot()) {
            return new ServerAccount(null);
        }
        String user = override == null || override.isBlank() ? "postgres" : override;
        Command.Result id = new Command(List.of("id", "-u", user), null).run(10);
        if (!id.succeeded()) {
            throw new DatabaseException("running as root, the embedded PostgreSQL needs an unprivileged account"
                    + " to run as, but user '" + user + "' does not exist; install postgresql (which creates it)"
                    + " or set " + USER_VARIABLE + " to another account");
        }
        return new ServerAccount(user);
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    boolean isSeparate() {
        return user != null;
    }

    /** The argument vector that runs {@code argv} as the server account, in a session of its own. */
    List<String> command(List<String> argv) {
        List<String> full = new ArrayList<>();
        // A session of its own: Ctrl-C on the terminal of whichever command started the server must not
        // stop a server that other commands and the engine are using.
        full.add("setsid");
        if (user != null) {
            full.addAll(List.of("runuser", "-u", user, "--"));
        }
        full.addAll(argv);
        return full;
    }

    /** Gives the server account the directory and makes every ancestor searchable to it. */
    void takeOwnership(Path directory) {
        if (user == null) {
            return;
        }
        expect(new Command(List.of("chown", "-R", user + ":", directory.toString()), null).run(60),
                "cannot give " + directory + " to user " + user);
        if (canWrite(directory)) {
            return;
        }
        for (Path ancestor = directory.toAbsolutePath().getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            if (!canSearch(ancestor)) {
                expect(new Command(List.of("setfacl", "-m", "u:" + user + ":x", ancestor.toString()), null).run(10),
                        "user " + user + " cannot reach " + directory + " because " + ancestor
                                + " is closed to it, and adding a search-only ACL failed (install the acl package,"
                                + " or set DORMANT_HOME to a directory outside it)");
            }
        }
        if (!canWrite(directory)) {
            throw new DatabaseException("user " + user + " still cannot write " + directory
                    + "; set DORMANT_HOME to a directory that user can reach");
        }
    }

    private boolean canSearch(Path directory) {
        return new Command(List.of("runuser", "-u", user, "--", "test", "-x", directory.toString()), null)
                .run(10).succeeded();
    }

    private boolean canWrite(Path directory) {
        return new Command(List.of("runuser", "-u", user, "--", "test", "-w", directory.toString()), null)
                .run(10).succeeded();
    }

    private static void expect(Command.Result result, String message) {
        if (!result.succeeded()) {
            throw new DatabaseException(message + ": " + result.output());
        }
    }

    @Override
    public String toString() {
        return user == null ? "the current user" : "user " + user;
    }
}
