package io.dormant.library.db;

/**
 * Where the catalogue lives: a JDBC URL with its credentials. Either an external PostgreSQL given by
 * the environment, or the embedded one of a {@code DORMANT_HOME}.
 */
public record DatabaseSettings(String url, String user, String password, boolean embedded) {

    public static final String URL_VARIABLE = "DORMANT_DB_URL";
    public static final String USER_VARIABLE = "DORMANT_DB_USER";
    public static final String PASSWORD_VARIABLE = "DORMANT_DB_PASSWORD";

    /** The external database named by the environment, or null when none is configured. */
    public static DatabaseSettings external(java.util.Map<String, String> environment) {
        String url = environment.get(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return null;
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new DatabaseException(URL_VARIABLE + " must be a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://localhost:5432/dormant, not '" + url + "'");
        }
        return new DatabaseSettings(url, environment.getOrDefault(USER_VARIABLE, ""),
                environment.getOrDefault(PASSWORD_VARIABLE, ""), false);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", embedded=" + embedded + "]";
    }
}
