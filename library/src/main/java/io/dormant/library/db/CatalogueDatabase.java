package io.dormant.library.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Picks the catalogue database: the external PostgreSQL named by {@code DORMANT_DB_URL}, or the
 * embedded one of the home directory, and proves it answers before anyone relies on it.
 */
public final class CatalogueDatabase {

    private CatalogueDatabase() {
    }

    public static DatabaseSettings resolve(Path home, Map<String, String> environment) {
        DatabaseSettings settings = settings(home, environment);
        checkConnection(settings);
        return settings;
    }

    /** The settings without a test connection, for callers whose first query reports failures itself. */
    public static DatabaseSettings settings(Path home, Map<String, String> environment) {
        DatabaseSettings external = DatabaseSettings.external(environment);
        return external != null ? external : new EmbeddedPostgres(home, environment).start();
    }

    /** Opens one connection, so that a wrong URL or password is reported here, in one line. */
    public static void checkConnection(DatabaseSettings settings) {
        try (Connection ignored = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
            // connected: nothing more to prove
        } catch (SQLException e) {
            throw connectionFailure(settings, e);
        }
    }

    /** The one-line error for a database that cannot be reached or refuses the login. */
    public static DatabaseException connectionFailure(DatabaseSettings settings, SQLException e) {
        {
            String where = settings.embedded() ? "the embedded PostgreSQL (" + settings.url() + ")" : settings.url();
            String next = settings.embedded()
                    ? "see its log under DORMANT_HOME/postgres/server.log"
                    : "check " + DatabaseSettings.URL_VARIABLE + ", " + DatabaseSettings.USER_VARIABLE + " and "
                            + DatabaseSettings.PASSWORD_VARIABLE + ", or unset them to use the embedded database";
            return new DatabaseException("cannot connect to " + where + ": " + firstLine(e.getMessage()) + "; " + next, e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
