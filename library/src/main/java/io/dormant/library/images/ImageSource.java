package io.dormant.library.images;

import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.tar.TarImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Where an import reads from: a directory tree on the host, or a tar archive (plain or compressed). */
enum ImageSource {
    DIRECTORY("directory") {
        @Override
        ImportResult read(Path source, ContentStore store, Path cache, Progress progress) throws IOException {
            return new DirectoryImporter(store, cache).importDirectory(source, progress);
        }
    },
    TAR("tar") {
        @Override
        ImportResult read(Path source, ContentStore store, Path cache, Progress progress) throws IOException {
            return new TarImporter(store).importTar(source, progress);
        }
    };

    private final String kind;

    ImageSource(String kind) {
        this.kind = kind;
    }

    record Imported(ImportResult result) {
    }

    String kind() {
        return kind;
    }

    static Bound detect(Path source) {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return new Bound(DIRECTORY, source);
        }
        if (Files.isRegularFile(source)) {
            return new Bound(TAR, source);
        }
        throw new ImageLibraryException(source + " is neither a directory nor a tar archive"
                + (Files.exists(source) ? "" : " (it does not exist)"));
    }

    abstract ImportResult read(Path source, ContentStore store, Path cache, Progress progress) throws IOException;

    /** A source kind with its path. */
    record Bound(ImageSource type, Path path) {
        String kind() {
            return type.kind();
        }

        Imported importInto(ContentStore store, Path cache, Progress progress) throws IOException {
            return new Imported(type.read(path, store, cache, progress));
        }
    }
}
