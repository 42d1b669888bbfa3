package io.dormant.library;

import java.nio.file.Path;
import java.util.Map;

/** Where one Dormant installation keeps its store, its embedded database and its caches. */
public final class DormantHome {

    public static final String VARIABLE = "DORMANT_HOME";

    private DormantHome() {
    }

    /** {@code DORMANT_HOME}, or {@code ~/.dormant} when it is not set. */
    public static Path resolve(Map<String, String> environment) {
        String configured = environment.get(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".dormant");
    }
}
