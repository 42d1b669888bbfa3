package io.dormant.adapters.deb.apply;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of {@code /var/lib/dpkg/info} by package: {@code NAME.SUFFIX} where the suffix holds no
 * dot, as dpkg names them. Read once and kept up to date by the writer, instead of a scan of a
 * directory of a thousand files for every package. Only dpkg writes there; should a maintainer
 * script do so, the directory's modification time shows it and the index is read again. A change
 * within the same tick of the file system's clock as the writer's own would not show, and would
 * at worst leave that file behind when its package is upgraded later in the same apply.
 */
final class InfoDirectory {

    private final Path dir;
    private Map<String, Set<String>> byPackage;
    private FileTime seen;

    InfoDirectory(Path dir) {
        this.dir = dir;
    }

    /** The info files of {@code infoName}, as paths. */
    List<Path> filesOf(String infoName) throws IOException {
        load();
        List<Path> out = new ArrayList<>();
        for (String name : byPackage.getOrDefault(infoName, Set.of())) {
            out.add(dir.resolve(name));
        }
        return out;
    }

    /** Tells the index that the writer just created or removed the file {@code name}. */
    void changed(String name, boolean exists) throws IOException {
        if (byPackage == null) {
            return;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            Set<String> names = byPackage.computeIfAbsent(name.substring(0, dot), n -> new TreeSet<>());
            if (exists) {
                names.add(name);
            } else {
                names.remove(name);
            }
        }
        seen = modified();
    }

    private void load() throws IOException {
        FileTime now = modified();
        if (byPackage != null && now.equals(seen)) {
            return;
        }
        Map<String, Set<String>> read = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot > 0) {
                    read.computeIfAbsent(name.substring(0, dot), n -> new TreeSet<>()).add(name);
                }
            }
        }
        byPackage = read;
        seen = now;
    }

    private FileTime modified() throws IOException {
        return Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
    }
}
