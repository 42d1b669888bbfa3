package io.dormant.engine.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a separate process, the way an admin runs {@code ./dormant}. */
final class DormantProcess {

    record Outcome(int exitCode, String output) {
    }

    private final Path jar = Path.of(System.getProperty("dormant.jar", "target/dormant.jar")).toAbsolutePath();
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    DormantProcess(Map<String, String> environment, Path log) {
        this.environment = environment;
        this.log = log;
    }

    Outcome run(String... arguments) throws IOException, InterruptedException {
        return runIn(Path.of(""), arguments);
    }

    /** Runs a command from {@code directory}, as an admin in that working directory would. */
    Outcome runIn(Path directory, String... arguments) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(arguments).redirectErrorStream(true);
        if (!directory.toString().isEmpty()) {
            builder.directory(directory.toFile());
        }
        Process finished = builder.start();
        byte[] output = finished.getInputStream().readAllBytes();
        if (!finished.waitFor(180, TimeUnit.SECONDS)) {
            finished.destroyForcibly();
            throw new AssertionError("dormant " + String.join(" ", arguments) + " did not finish");
        }
        return new Outcome(finished.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    void startServe(int port) throws IOException {
        start("serve", "--port", Integer.toString(port));
    }

    /** Starts a command in the background, its output going to the log. */
    void start(String... arguments) throws IOException {
        process = builder(arguments).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits for {@code /actuator/health} to say UP; the issue allows 90 s, a loaded CI machine gets more. */
    void awaitHealthy(int port, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("dormant serve exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().startsWith("{\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("dormant serve was not healthy within " + timeout + ":\n" + Files.readString(log));
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private ProcessBuilder builder(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("DORMANT_"));
        // A test runs each command in a JVM of its own unless it is about the resident process.
        builder.environment().put("DORMANT_RESIDENT", "0");
        builder.environment().putAll(environment);
        return builder;
    }
}
