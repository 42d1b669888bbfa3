package io.dormant.library.progress;

/**
 * How long operations (import, export, materialize) report how far they are, so a front end can
 * print files, bytes and a rate. Called from several threads at once; implementations must be
 * thread-safe and cheap.
 */
public interface Progress {
    /** Reports that {@code files} more entries with {@code bytes} more content bytes are done. */
    void advance(long files, long bytes);

    /**
     * Says that a new step of a longer operation began (an apply: reading packages, checking out,
     * unpacking each package, its scripts, checking in); the counts that follow belong to it.
     */
    default void phase(String description) {
    }

    /** A progress that prints nothing. */
    static Progress none() {
        return (files, bytes) -> {
        };
    }
}
