package io.dormant.library.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs (initdb, pg_ctl) of this machine. Debian keeps one directory per
 * major version; a data directory can only be served by the major version that created it.
 */
record PostgresBinaries(Path directory) {

    static final String OVERRIDE_VARIABLE = "DORMANT_PG_BIN";
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    static PostgresBinaries locate(String override, String requiredMajor) {
        if (override != null && !override.isBlank()) {
            return checked(Path.of(override));
        }
        if (requiredMajor != null) {
            Path exact = DEBIAN_ROOT.resolve(requiredMajor).resolve("bin");
            if (Files.isExecutable(exact.resolve("pg_ctl"))) {
                return new PostgresBinaries(exact);
            }
            throw new DatabaseException("the embedded database was created by PostgreSQL " + requiredMajor
                    + " but its server programs are not installed; install postgresql-" + requiredMajor
                    + " or set " + OVERRIDE_VARIABLE + " to its bin directory");
        }
        return newestDebianVersion().orElseThrow(() -> new DatabaseException(
                "no PostgreSQL server programs found under " + DEBIAN_ROOT
                        + "; install them (apt-get install postgresql), set " + OVERRIDE_VARIABLE
                        + ", or point " + DatabaseSettings.URL_VARIABLE + " at an existing PostgreSQL"));
    }

    private static Optional<PostgresBinaries> newestDebianVersion() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresBinaries::majorOf))
                    .map(PostgresBinaries::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static PostgresBinaries checked(Path bin) {
        if (!Files.isExecutable(bin.resolve("pg_ctl")) || !Files.isExecutable(bin.resolve("initdb"))) {
            throw new DatabaseException(OVERRIDE_VARIABLE + "=" + bin + " holds no pg_ctl and initdb");
        }
        return new PostgresBinaries(bin);
    }

    String program(String name) {
        return directory.resolve(name).toString();
    }
}
