package io.dormant.library.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The objects that are files of their own, under {@code objects/ab/cdef…}: listing and pruning. */
final class LooseObjects {
    private LooseObjects() {
    }

    /** Calls {@code action} with every object file's id; skips stray files. */
    static void forEach(Path objects, Consumer<ObjectId> action) throws IOException {
        try (DirectoryStream<Path> fans = Files.newDirectoryStream(objects)) {
            for (Path fan : fans) {
                String prefix = fan.getFileName().toString();
                if (prefix.length() != 2 || !Files.isDirectory(fan, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
                    for (Path f : files) {
                        ObjectId id = tryParse(prefix + f.getFileName());
                        if (id != null) {
                            action.accept(id);
                        }
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes every object file that {@code keep} rejects. */
    static PruneResult prune(Path objects, Predicate<ObjectId> keep) throws IOException {
        List<ObjectId> unreachable = new ArrayList<>();
        forEach(objects, id -> {
            if (!keep.test(id)) {
                unreachable.add(id);
            }
        });
        long bytes = 0;
        for (ObjectId id : unreachable) {
            String hex = id.hex();
            Path file = objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
            long size = Files.size(file);
            if (Files.deleteIfExists(file)) {
                bytes += size;
            }
        }
        return new PruneResult(unreachable.size(), bytes, 0, 0);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static ObjectId tryParse(String hex) {
        try {
            return ObjectId.parse(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
