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

    private CatalogueSchema() {
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
