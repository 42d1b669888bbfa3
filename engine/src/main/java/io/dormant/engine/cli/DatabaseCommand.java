package io.dormant.engine.cli;

import io.dormant.library.DormantHome;
import io.dormant.library.db.EmbeddedPostgres;
import picocli.CommandLine.Command;

/** {@code dormant db status|stop}: the embedded PostgreSQL outlives commands, so it can be stopped here. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Show or stop the embedded PostgreSQL of DORMANT_HOME.")
final class DatabaseCommand {

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the embedded database runs.")
    int status() {
        EmbeddedPostgres postgres = embedded();
        System.out.println(postgres.isRunning()
                ? "embedded PostgreSQL is running (" + postgres.directory() + ")"
                : "embedded PostgreSQL is stopped (" + postgres.directory() + ")");
        return 0;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the embedded database.")
    int stop() {
        EmbeddedPostgres postgres = embedded();
        System.out.println(postgres.stop() ? "embedded PostgreSQL stopped" : "embedded PostgreSQL was not running");
        return 0;
    }

    private static EmbeddedPostgres embedded() {
        return new EmbeddedPostgres(DormantHome.resolve(System.getenv()), System.getenv());
    }
}
