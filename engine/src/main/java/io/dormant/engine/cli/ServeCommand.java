package io.dormant.engine.cli;

import io.dormant.engine.DormantApplication;
import io.dormant.library.DormantHome;
import io.dormant.library.db.CatalogueDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dormant serve}: checks what commonly goes wrong (home, port, database) and says so in one
 * line before starting the engine, because a failed Spring start otherwise ends in pages of trace.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the engine: REST API, Camunda Cockpit and Tasklist, schedules.")
final class ServeCommand implements Callable<Integer> {

    /** Returned when the engine runs on: main must not exit the JVM under it. */
    static final int KEEP_RUNNING = -1;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @picocli.CommandLine.ParentCommand
    DormantCli parent;

    @Override
    public Integer call() {
        Path home = DormantHome.resolve(System.getenv());
        checkHome(home);
        checkPort(port);
        CatalogueDatabase.resolve(home, System.getenv());
        // Tomcat's work directory goes under the home, not into /tmp where every start left a new one.
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--dormant.home=" + home,
                "--server.tomcat.basedir=" + home.resolve("tomcat")));
        if (parent != null && parent.debug) {
            arguments.add("--logging.level.org.springframework.boot.SpringApplication=info");
            arguments.add("--logging.level.io.dormant=debug");
        }
        new SpringApplicationBuilder(DormantApplication.class).run(arguments.toArray(String[]::new));
        System.out.println("Dormant is running on http://localhost:" + port
                + "/  (Cockpit: /camunda/app/cockpit/, health: /actuator/health)");
        return KEEP_RUNNING;
    }

    private static void checkHome(Path home) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UserError("cannot create DORMANT_HOME " + home + " (" + e.getMessage()
                    + "); set DORMANT_HOME to a directory you can write");
        }
        if (!Files.isWritable(home)) {
            throw new UserError("DORMANT_HOME " + home + " is not writable; set DORMANT_HOME to a directory you can write");
        }
    }

    private static void checkPort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new UserError("port " + port + " is already in use; stop what listens there or start with --port N");
        }
    }
}
