package io.dormant.library.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CatalogueSchemaTest {

    @Test
    void latestVersionIsTheNewestMigrationFile() throws IOException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest;
        try (Stream<Path> files = Files.list(Path.of("../db/migrations"))) {
            newest = files.map(f -> versioned.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
        assertThat(CatalogueSchema.LATEST_VERSION).isEqualTo(newest);
    }
}
