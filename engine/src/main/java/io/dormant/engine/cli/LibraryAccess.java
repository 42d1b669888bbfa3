package io.dormant.engine.cli;

import io.dormant.adapters.inventory.PackageInventoryReader;
import io.dormant.library.DormantHome;
import io.dormant.library.db.CatalogueDatabase;
import io.dormant.library.db.CatalogueSchema;
import io.dormant.library.db.DatabaseSettings;
import io.dormant.library.db.EmbeddedPostgres;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens the library for a command: the catalogue database (embedded or external, started if
 * needed), its schema brought up to date, and the store of {@code DORMANT_HOME}. No Spring here:
 * library commands work the same whether or not {@code dormant serve} runs.
 */
final class LibraryAccess {

    /** The connections this process opened for the command it runs, closed by {@link #closeOpened}. */
    private static final List<OneConnectionDataSource> OPENED = new ArrayList<>();
    /** The login {@link #connectAhead} began, taken by the command's {@link #open}. */
    private static final AtomicReference<FutureTask<OneConnectionDataSource>> AHEAD = new AtomicReference<>();

    private LibraryAccess() {
    }

    static void closeOpened() {
        // A login begun ahead for a command that never opened the library (it failed before) is
        // not kept for the next one: the database may be stopped in between.
        FutureTask<OneConnectionDataSource> unused = AHEAD.getAndSet(null);
        if (unused != null) {
            try {
                await(unused);
            } catch (RuntimeException failed) {
                // nothing was opened
            }
        }
        synchronized (OPENED) {
            OPENED.forEach(OneConnectionDataSource::close);
            OPENED.clear();
        }
    }

    /**
     * Logs in to the catalogue on a thread of its own while the command line is still being set up
     * (logging, option parsing), which in a new process take a few hundred milliseconds of one core,
     * as does the first login (the driver's classes, scram-sha-256). Only when the database already
     * runs: a mistyped command must not start the embedded server.
     */
    static void connectAhead() {
        Path home = DormantHome.resolve(System.getenv());
        try {
            if (DatabaseSettings.external(System.getenv()) == null && !new EmbeddedPostgres(home, System.getenv()).isRunning()) {
                return;
            }
        } catch (RuntimeException unusable) {
            return; // reported by the command's own open(), with its next step
        }
        FutureTask<OneConnectionDataSource> connecting = new FutureTask<>(() -> connect(home));
        Thread thread = new Thread(connecting, "catalogue-connect");
        thread.setDaemon(true);
        thread.start();
        AHEAD.set(connecting);
    }

    static ImageLibrary open() {
        Path home = DormantHome.resolve(System.getenv());
        FutureTask<OneConnectionDataSource> connecting = AHEAD.getAndSet(null);
        OneConnectionDataSource shared = connecting != null ? await(connecting) : connect(home);
        CatalogueSchema.migrateIfBehind(shared);
        return ImageLibrary.open(home, shared, new PackageInventoryReader())
                .withDiskImages(io.dormant.engine.images.GuestfsEnvironment.diskImages());
    }

    private static OneConnectionDataSource connect(Path home) {
        DatabaseSettings settings = CatalogueDatabase.settings(home, System.getenv());
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        OneConnectionDataSource shared = new OneConnectionDataSource(dataSource);
        synchronized (OPENED) {
            OPENED.add(shared);
        }
        try {
            shared.getConnection().close();
        } catch (java.sql.SQLException e) {
            throw CatalogueDatabase.connectionFailure(settings, e);
        }
        return shared;
    }

    private static OneConnectionDataSource await(FutureTask<OneConnectionDataSource> connecting) {
        try {
            return connecting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the catalogue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static String actor() {
        String user = System.getenv("DORMANT_ACTOR");
        return user != null && !user.isBlank() ? user : System.getProperty("user.name");
    }
}
