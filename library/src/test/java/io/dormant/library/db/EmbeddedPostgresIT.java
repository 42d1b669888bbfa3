package io.dormant.library.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL for real: created under a home that, like root's, is closed to others;
 * restarted; killed with -9 and started again; shared by two users of one home.
 */
class EmbeddedPostgresIT {

    private Path closedParent;
    private Path home;
    private EmbeddedPostgres postgres;

    @BeforeEach
    void createHome() throws IOException {
        // Mode 700, like /root: a server running as an unprivileged account must still reach its data.
        closedParent = Files.createTempDirectory("dormant-closed");
        Files.setPosixFilePermissions(closedParent, PosixFilePermissions.fromString("rwx------"));
        home = closedParent.resolve("home");
        postgres = new EmbeddedPostgres(home, Map.of());
    }

    @AfterEach
    void stopServer() {
        postgres.stop();
    }

    @Test
    void keepsItsDataAcrossStopAndStart() throws SQLException {
        DatabaseSettings first = postgres.start();
        execute(first, "create table kept (value text)", "insert into kept values ('across restarts')");

        assertThat(postgres.stop()).isTrue();
        assertThat(postgres.isRunning()).isFalse();

        DatabaseSettings second = postgres.start();
        assertThat(queryOne(second, "select value from kept")).isEqualTo("across restarts");
    }

    @Test
    void comesBackAfterTheServerWasKilled() throws Exception {
        DatabaseSettings first = postgres.start();
        execute(first, "create table kept (value text)", "insert into kept values ('after kill -9')");
        long pid = EmbeddedPostgres.PidFile.read(home.resolve("postgres/data")).pid();

        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        waitUntilGone(pid);
        assertThat(home.resolve("postgres/data/postmaster.pid")).exists();

        DatabaseSettings second = postgres.start();
        assertThat(queryOne(second, "select value from kept")).isEqualTo("after kill -9");
    }

    @Test
    void aSecondUserOfTheHomeConnectsToTheRunningServer() throws SQLException {
        DatabaseSettings first = postgres.start();
        long pid = EmbeddedPostgres.PidFile.read(home.resolve("postgres/data")).pid();

        DatabaseSettings second = new EmbeddedPostgres(home, Map.of()).start();

        assertThat(second.url()).isEqualTo(first.url());
        assertThat(EmbeddedPostgres.PidFile.read(home.resolve("postgres/data")).pid()).isEqualTo(pid);
        assertThat(queryOne(second, "select 'shared'")).isEqualTo("shared");
    }

    @Test
    void theCatalogueSchemaMigratesIntoItsOwnSchema() throws SQLException {
        DatabaseSettings settings = postgres.start();
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());

        assertThat(CatalogueSchema.migrate(dataSource)).isPositive();
        assertThat(CatalogueSchema.migrate(dataSource)).isZero();
        assertThat(queryOne(settings, "select count(*) from information_schema.tables where table_schema = 'dormant'"
                + " and table_name in ('image', 'image_version', 'package_inventory', 'patch', 'campaign',"
                + " 'campaign_run', 'audit_event')")).isEqualTo("7");
    }

    @Test
    void aHomeTooDeepForASocketStillStarts() throws SQLException, IOException {
        // PostgreSQL refuses to start when it cannot make the Unix socket it is asked for, and a
        // socket's path has at most 107 bytes: this one would have about 150.
        Path deep = Files.createDirectories(closedParent.resolve("a-directory-name-of-forty-characters-xx/"
                + "and-another-one-of-forty-characters-yyyy"));
        EmbeddedPostgres deepServer = new EmbeddedPostgres(deep.resolve("home"), Map.of());
        try {
            DatabaseSettings settings = deepServer.start();

            assertThat(queryOne(settings, "select 'over tcp'")).isEqualTo("over tcp");
            try (var sockets = Files.list(deep.resolve("home/postgres/run"))) {
                assertThat(sockets).as("no socket under a deep home").isEmpty();
            }
        } finally {
            deepServer.stop();
        }
    }

    @Test
    void aHomeWithASpaceAndAQuoteInItsPathStarts() throws Exception {
        // pg_ctl hands the socket directory to the server through a shell. A short base, whatever
        // the temp directory is, so that the path fits a socket and the server is asked for one.
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "VM images ");
        Path odd = Files.createDirectories(base.resolve("admin's"));
        EmbeddedPostgres oddServer = new EmbeddedPostgres(odd.resolve("home"), Map.of());
        try {
            assertThat(queryOne(oddServer.start(), "select 'started'")).isEqualTo("started");
            try (var sockets = Files.list(odd.resolve("home/postgres/run"))) {
                assertThat(sockets.map(p -> p.getFileName().toString())).as("its socket, for an admin's psql")
                        .anyMatch(name -> name.startsWith(".s.PGSQL."));
            }
        } finally {
            oddServer.stop();
            new ProcessBuilder("rm", "-rf", "--one-file-system", base.toString()).start().waitFor();
        }
    }

    @Test
    void anUnwritableHomeIsReportedWithTheNextStep() throws IOException {
        Path file = Files.createFile(closedParent.resolve("not-a-directory"));
        EmbeddedPostgres nowhere = new EmbeddedPostgres(file.resolve("home"), Map.of());

        assertThatThrownBy(nowhere::start)
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("DORMANT_HOME " + file.resolve("home"))
                .hasMessageContaining("set DORMANT_HOME to a directory you can write");
    }

    @Test
    void theRoleConnectsThroughAVerifierWithFewIterations() throws SQLException {
        DatabaseSettings settings = postgres.start();

        String verifier = queryOne(settings, "select rolpassword from pg_authid where rolname = current_user");
        assertThat(ScramVerifier.iterations(verifier)).isEqualTo(ScramVerifier.EMBEDDED_ITERATIONS);
        // The password still works, and only the password: the server checks the client's proof.
        assertThat(queryOne(settings, "select 'in'")).isEqualTo("in");
        DatabaseSettings wrong = new DatabaseSettings(settings.url(), settings.user(), settings.password() + "0", false);
        assertThatThrownBy(() -> queryOne(wrong, "select 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        // A restart keeps the verifier.
        postgres.stop();
        assertThat(queryOne(postgres.start(), "select rolpassword from pg_authid where rolname = current_user"))
                .isEqualTo(verifier);
    }

    @Test
    void aWrongExternalPasswordIsReportedInOneLine() {
        DatabaseSettings settings = postgres.start();
        DatabaseSettings wrong = new DatabaseSettings(settings.url(), settings.user(), "wrong", false);

        assertThatThrownBy(() -> CatalogueDatabase.checkConnection(wrong))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot connect to " + settings.url())
                .hasMessageContaining("check DORMANT_DB_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static void waitUntilGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && Files.exists(Path.of("/proc", Long.toString(pid))); i++) {
            Thread.sleep(100);
        }
    }

    private static void execute(DatabaseSettings settings, String... statements) throws SQLException {
        try (Connection connection = connect(settings)) {
            for (String statement : statements) {
                connection.createStatement().execute(statement);
            }
        }
    }

    private static String queryOne(DatabaseSettings settings, String query) throws SQLException {
        try (Connection connection = connect(settings); ResultSet rows = connection.createStatement().executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static Connection connect(DatabaseSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }
}
