package io.dormant.adapters.deb.apply;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /var/lib/dpkg/statoverride}: owner and mode an admin (or a package script) fixed for a path,
 * which dpkg applies instead of the archive's whenever it unpacks that path.
 */
final class StatOverrides {

    record Override(String user, String group, int mode) {
    }

    private final Map<String, Override> byPath;

    private StatOverrides(Map<String, Override> byPath) {
        this.byPath = byPath;
    }

    static StatOverrides read(RootedFiles image) throws IOException {
        Map<String, Override> overrides = new HashMap<>();
        Path file = image.resolve("/var/lib/dpkg/statoverride", true);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.trim().split("\\s+", 4);
                if (fields.length == 4) {
                    overrides.put(fields[3], new Override(fields[0], fields[1], Integer.parseInt(fields[2], 8)));
                }
            }
        }
        return new StatOverrides(overrides);
    }

    Override forPath(String imagePath) {
        return byPath.get(imagePath);
    }
}
