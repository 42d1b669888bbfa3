package io.dormant.library.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Dormant's own tables, kept in the schema {@code dormant} so that they never mix with Camunda's
 * tables in the same database. The migrations live in db/migrations at the top of the repository.
 */
public final class CatalogueSchema {

    public static final String SCHEMA = "dormant";
    public static final String LOCATION = "classpath:db/migration";
    /** The newest migration in db/migrations (a test keeps the two in step). */
    public static final int LATEST_VERSION = 3;

    private CatalogueSchema() {
    }

    /**
     * Brings the catalogue up to date only when it is behind: asking Flyway costs most of a second,
     * and command-line calls must answer faster than that.
     */
    public static int migrateIfBehind(DataSource dataSource) {
        try (java.sql.Connection connection = dataSource.getConnection();
             java.sql.ResultSet rows = connection.createStatement().executeQuery(
                     "select coalesce(max(version::int), 0) from " + SCHEMA + ".flyway_schema_history where success")) {
            if (rows.next() && rows.getInt(1) >= LATEST_VERSION) {
                return 0;
            }
        } catch (java.sql.SQLException | NumberFormatException e) {
            // no history table yet (a new database) or an unexpected shape: let Flyway decide
        }
        return migrate(dataSource);
    }

    /** Brings the catalogue up to the newest migration; returns how many were applied. */
    public static int migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations(LOCATION)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
