package io.dormant.library.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cache directory of entry files kept under a size. An entry's modification time says when it
 * was last used (each use sets it), so the cache needs no index that a crash could leave out of
 * step; the least recently used entries go first. Other processes may add or remove entries
 * meanwhile: an entry gone before it is counted or removed is simply skipped.
 */
public final class LeastRecentlyUsed {

    /** How many entries a cache directory holds, and their bytes. */
    public record Usage(long entries, long bytes) {
    }

    private record Entry(Path path, long size, FileTime used) {
    }

    private LeastRecentlyUsed() {
    }

    /** Marks an entry used now. */
    public static void markUsed(Path entry) throws IOException {
        Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
    }

    /** The entries matching {@code glob} in {@code dir}; none when it does not exist. */
    public static Usage usage(Path dir, String glob) throws IOException {
        List<Entry> entries = entries(dir, glob);
        return new Usage(entries.size(), entries.stream().mapToLong(Entry::size).sum());
    }

    /**
     * Removes the least recently used entries matching {@code glob} while together they take more
     * than {@code limit} bytes (with a limit of 0, all of them).
     *
     * @return the bytes removed
     */
    public static long trim(Path dir, String glob, long limit) throws IOException {
        List<Entry> entries = entries(dir, glob);
        long total = entries.stream().mapToLong(Entry::size).sum();
        if (total <= limit) {
            return 0;
        }
        entries.sort(Comparator.comparing(Entry::used));
        long removed = 0;
        for (Entry entry : entries) {
            if (total - removed <= limit) {
                break;
            }
            if (Files.deleteIfExists(entry.path())) {
                removed += entry.size();
            }
        }
        return removed;
    }

    private static List<Entry> entries(Path dir, String glob) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, glob)) {
            for (Path path : listing) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        entries.add(new Entry(path, attributes.size(), attributes.lastModifiedTime()));
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        }
        return entries;
    }
}
