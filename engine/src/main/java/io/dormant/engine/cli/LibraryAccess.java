package io.dormant.engine.cli;

import io.dormant.adapters.inventory.PackageInventoryReader;
import io.dormant.library.DormantHome;
import io.dormant.library.db.CatalogueDatabase;
import io.dormant.library.db.CatalogueSchema;
import io.dormant.library.db.DatabaseSettings;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens the library for a command: the catalogue database (embedded or external, started if
 * needed), its schema brought up to date, and the store of {@code DORMANT_HOME}. No Spring here:
 * library commands work the same whether or not {@code dormant serve} runs.
 */
final class LibraryAccess {

    /** The connections this process opened for the command it runs, closed by {@link #closeOpened}. */
    private static final List<OneConnectionDataSource> OPENED = new ArrayList<>();

    private LibraryAccess() {
    }

    static void closeOpened() {
        synchronized (OPENED) {
            OPENED.forEach(OneConnectionDataSource::close);
            OPENED.clear();
        }
    }

    static ImageLibrary open() {
        Path home = DormantHome.resolve(System.getenv());
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
        CatalogueSchema.migrateIfBehind(shared);
        return ImageLibrary.open(home, shared, new PackageInventoryReader());
    }

    static String actor() {
        String user = System.getenv("DORMANT_ACTOR");
        return user != null && !user.isBlank() ? user : System.getProperty("user.name");
    }
}
