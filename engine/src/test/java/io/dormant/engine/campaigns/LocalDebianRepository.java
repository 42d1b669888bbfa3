package io.dormant.engine.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Debian repository made by Debian's own tools from package files: dpkg-scanpackages writes
 * the Packages index, apt-ftparchive the Release file with its checksums; served over HTTP.
 */
public final class LocalDebianRepository implements AutoCloseable {

    public static final String SUITE = "stable-security";

    private final Path root;
    private final HttpServer server;

    private LocalDebianRepository(Path root, HttpServer server) {
        this.root = root;
        this.server = server;
    }

    public static LocalDebianRepository serve(Path root, List<Path> debs) throws Exception {
        Path pool = Files.createDirectories(root.resolve("pool/main"));
        for (Path deb : debs) {
            Files.copy(deb, pool.resolve(deb.getFileName()));
        }
        Path binary = Files.createDirectories(root.resolve("dists/" + SUITE + "/main/binary-amd64"));
        Files.writeString(binary.resolve("Packages"), run(root, "dpkg-scanpackages", "--multiversion", "pool"));
        run(root, "xz", "-k", binary.resolve("Packages").toString());
        Files.writeString(root.resolve("dists/" + SUITE + "/Release"), "Suite: " + SUITE + "\n"
                + run(root.resolve("dists/" + SUITE), "apt-ftparchive", "release", "."));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Path served = root.toAbsolutePath().normalize();
        server.createContext("/", exchange -> {
            Path file = served.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(served) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (var body = exchange.getResponseBody()) {
                    Files.copy(file, body);
                }
            }
            exchange.close();
        });
        server.start();
        return new LocalDebianRepository(root, server);
    }

    /** The sources.list line of this repository. */
    public String line() {
        return "deb http://127.0.0.1:" + server.getAddress().getPort() + "/ " + SUITE + " main";
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return output;
    }
}
