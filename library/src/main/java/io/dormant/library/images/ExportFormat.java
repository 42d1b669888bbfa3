package io.dormant.library.images;

import io.dormant.library.fs.DirectoryExporter;
import io.dormant.library.fs.ExportResult;
import io.dormant.library.progress.CountingProgress;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tar.CompressionFormat;
import io.dormant.library.tar.TarExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** What an export writes: a real directory tree, or a PAX tar archive. */
public enum ExportFormat {
    DIR {
        @Override
        Exporter exporter(ContentStore store) {
            return (root, target, progress) -> new DirectoryExporter(store).export(root, target, progress);
        }
    },
    TAR {
        @Override
        Exporter exporter(ContentStore store) {
            return (root, target, progress) -> {
                long started = System.nanoTime();
                CountingProgress counted = new CountingProgress();
                new TarExporter(store).export(root, target, CompressionFormat.NONE, (files, bytes) -> {
                    counted.advance(files, bytes);
                    progress.advance(files, bytes);
                });
                return new ExportResult(counted.files(), 0, 0, counted.bytes(), Duration.ofNanos(System.nanoTime() - started));
            };
        }
    };

    abstract Exporter exporter(ContentStore store);

    public static ExportFormat parse(String text) {
        for (ExportFormat format : values()) {
            if (format.name().equalsIgnoreCase(text)) {
                return format;
            }
        }
        throw new ImageLibraryException("unknown export format '" + text + "': use dir or tar");
    }

    @FunctionalInterface
    interface Exporter {
        ExportResult export(ObjectId root, Path target, Progress progress) throws IOException;
    }
}
