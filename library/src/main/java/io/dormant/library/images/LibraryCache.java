package io.dormant.library.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a library's cache holds ({@code DORMANT_HOME/cache} and the checkouts, wherever they are),
 * for {@code dormant cache}. Needs neither the store nor the database: everything here can be made
 * again, so an admin can look and clear while nothing else runs, or while applies do (what they use
 * is kept).
 */
public final class LibraryCache {

    /** One place checkouts are kept: how many it holds, their bytes, and how many it keeps at most. */
    public record CheckoutPlace(Path dir, boolean memory, int kept, int checkouts, long bytes) {
    }

    private final Path dir;
    private final Checkouts checkouts;

    private LibraryCache(Path dir, Checkouts checkouts) {
        this.dir = dir;
        this.checkouts = checkouts;
    }

    /** The cache of the library at {@code home}, with its checkouts where the environment puts them. */
    public static LibraryCache of(Path home, Map<String, String> environment) {
        Path dir = home.resolve("cache");
        return new LibraryCache(dir, Checkouts.choose(dir, environment));
    }

    /** {@code DORMANT_HOME/cache}. */
    public Path dir() {
        return dir;
    }

    /** The directory of the cache called {@code name}: what can be made again. Not created here. */
    public Path dir(String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + name + "' is not a cache name");
        }
        return dir.resolve(name);
    }

    Checkouts checkouts() {
        return checkouts;
    }

    public List<CheckoutPlace> checkoutPlaces() throws IOException {
        return checkouts.places();
    }

    /**
     * Removes every checkout except those in use: mounted by an apply, or checked out within the
     * last {@link Checkouts#RECENT} (an apply may be about to mount it).
     *
     * @return the checkouts kept for being in use
     */
    public List<Path> clearCheckouts() {
        return checkouts.clear();
    }

    /** How long after its last use a checkout counts as in use. */
    public static java.time.Duration inUseFor() {
        return Checkouts.RECENT;
    }
}
