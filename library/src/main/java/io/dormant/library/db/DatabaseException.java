package io.dormant.library.db;

/** The catalogue database could not be reached, started or prepared; the message says what to do. */
public class DatabaseException extends RuntimeException {

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
