package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image tree in a host directory, for tests and tools. Image symlinks cannot be followed with
 * java.nio without leaving the image, so any symlink on a path is refused instead.
 */
final class HostImageFiles implements ImageFiles {

    private final Path root;

    HostImageFiles(Path root) {
        this.root = root;
    }

    @Override
    public InputStream read(String path) throws IOException {
        return Files.newInputStream(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean exists(String path) throws IOException {
        try {
            return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public List<String> list(String dir) throws IOException {
        try (Stream<Path> entries = Files.list(resolve(dir))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path resolve(String path) throws IOException {
        Path at = root;
        for (String name : path.split("/")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                throw new IOException("refused: '..' in image path '" + path + "'");
            }
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) {
                throw new IOException("refused: '" + root.relativize(at) + "' in image path '" + path
                        + "' is a symlink, which a host directory cannot resolve inside the image");
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(path);
            }
        }
        return at;
    }
}
