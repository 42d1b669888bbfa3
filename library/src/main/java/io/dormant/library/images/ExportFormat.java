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

/**
 * What an export writes: a real directory tree, a PAX tar archive, or a qcow2 disk built on the disk
 * image the version's lineage was imported from (an overlay on it, or a flattened copy).
 */
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
    },
    /** A qcow2 overlay whose backing file is the imported disk: only the changed files are in it. */
    QCOW2 {
        @Override
        Exporter exporter(ContentStore store) {
            throw new IllegalStateException("a disk export is written by ImageLibrary, which knows the lineage");
        }
    },
    /** The same disk flattened into one qcow2 that stands alone. */
    QCOW2_FLAT {
        @Override
        Exporter exporter(ContentStore store) {
            throw new IllegalStateException("a disk export is written by ImageLibrary, which knows the lineage");
        }
    };

    abstract Exporter exporter(ContentStore store);

    /** True for the formats written onto the disk image a version was imported from. */
    public boolean isDisk() {
        return this == QCOW2 || this == QCOW2_FLAT;
    }

    /** The name users write: dir, tar, qcow2, qcow2-flat. */
    public String userName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static ExportFormat parse(String text) {
        for (ExportFormat format : values()) {
            if (format.userName().equalsIgnoreCase(text)) {
                return format;
            }
        }
        throw new ImageLibraryException("unknown export format '" + text + "': use dir, tar, qcow2 (an overlay on the"
                + " imported disk) or qcow2-flat (a disk that stands alone)");
    }

    @FunctionalInterface
    interface Exporter {
        ExportResult export(ObjectId root, Path target, Progress progress) throws IOException;
    }
}
