package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dormant serve} as a process: it comes back with its data after a kill -9, and what commonly
 * goes wrong at start is one line on the console with a non-zero exit code.
 */
class ServeCommandIT {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    private Path home;
    private DormantProcess dormant;

    @BeforeEach
    void newHome() {
        home = temp.resolve("home");
        dormant = new DormantProcess(Map.of("DORMANT_HOME", home.toString(), "DORMANT_ADMIN_PASSWORD", "serve-it"),
                temp.resolve("serve.log"));
    }

    @AfterEach
    void stopDatabase() throws Exception {
        dormant.run("db", "stop");
    }

    @Test
    void comesBackWithItsDataAfterKillMinusNine() throws Exception {
        int port = freePort();
        dormant.startServe(port);
        dormant.awaitHealthy(port, HEALTHY_WITHIN);
        assertThat(post(port, "/engine-rest/user/create",
                "{\"profile\":{\"id\":\"survivor\"},\"credentials\":{\"password\":\"s3cret-pass\"}}")).isEqualTo(204);

        dormant.kill();
        dormant.startServe(port);
        dormant.awaitHealthy(port, HEALTHY_WITHIN);

        assertThat(get(port, "/engine-rest/user/count")).contains("\"count\":2");
        dormant.stop();
        assertThat(Files.readString(temp.resolve("serve.log"))).containsOnlyOnce("Created user 'admin'");
    }

    @Test
    void aPortInUseIsOneLineAndANonZeroExit() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            DormantProcess.Outcome outcome = dormant.run("serve", "--port", Integer.toString(taken.getLocalPort()));

            assertThat(outcome.exitCode()).isNotZero();
            assertThat(outcome.output().strip()).isEqualTo("error: port " + taken.getLocalPort()
                    + " is already in use; stop what listens there or start with --port N");
        }
    }

    @Test
    void anUnreachableExternalDatabaseIsOneLine() throws Exception {
        int closedPort = freePort();
        DormantProcess external = new DormantProcess(Map.of("DORMANT_HOME", home.toString(),
                "DORMANT_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/dormant",
                "DORMANT_DB_USER", "nobody", "DORMANT_DB_PASSWORD", "none"), temp.resolve("external.log"));

        DormantProcess.Outcome outcome = external.run("serve", "--port", Integer.toString(freePort()));

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output().strip()).startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort)
                .contains("check DORMANT_DB_URL").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void anUnwritableHomeIsOneLine() throws Exception {
        Path file = Files.createFile(temp.resolve("a-file"));
        DormantProcess nowhere = new DormantProcess(Map.of("DORMANT_HOME", file.resolve("home").toString()),
                temp.resolve("nowhere.log"));

        DormantProcess.Outcome outcome = nowhere.run("serve", "--port", Integer.toString(freePort()));

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.output().strip()).startsWith("error: cannot create DORMANT_HOME " + file.resolve("home"))
                .endsWith("set DORMANT_HOME to a directory you can write").doesNotContain("\n");
    }

    @Test
    void helpListsTheCommands() throws Exception {
        DormantProcess.Outcome outcome = dormant.run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.output()).contains("serve").contains("db");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(request(port, path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int post(int port, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(request(port, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("admin:serve-it".getBytes(StandardCharsets.UTF_8)));
    }
}
