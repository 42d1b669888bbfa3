package io.dormant.library.images;

import io.dormant.library.disk.DiskFormat;
import io.dormant.library.disk.DiskImageFile;
import io.dormant.library.disk.DiskImages;
import io.dormant.library.disk.DiskOrigin;
import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.tar.CompressionFormat;
import io.dormant.library.tar.TarImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Where an import reads from: a directory tree on the host, a tar archive (plain or compressed), or a disk image. */
enum ImageSource {
    DIRECTORY {
        @Override
        Imported read(Path source, Context context, Progress progress) throws IOException {
            return new Imported(new DirectoryImporter(context.store(), context.cache()).importDirectory(source, progress), Optional.empty());
        }
    },
    TAR {
        @Override
        Imported read(Path source, Context context, Progress progress) throws IOException {
            return new Imported(new TarImporter(context.store()).importTar(source, progress), Optional.empty());
        }
    },
    DISK {
        @Override
        Imported read(Path source, Context context, Progress progress) throws IOException {
            DiskImages.Imported imported = context.disks().importDisk(DiskImageFile.open(source), context.store(), progress);
            return new Imported(imported.result(), Optional.of(imported.origin()));
        }
    };

    /** What an import read, and for a disk image the disk as it was. */
    record Imported(ImportResult result, Optional<DiskOrigin> disk) {
    }

    /** What a source is read into. */
    record Context(ContentStore store, Path cache, DiskImages disks) {
    }

    static Bound detect(Path source) {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return new Bound(DIRECTORY, source);
        }
        if (Files.isRegularFile(source)) {
            try {
                return new Bound(looksLikeTar(source) || DiskFormat.detect(source).isEmpty() ? TAR : DISK, source);
            } catch (IOException e) {
                throw new ImageLibraryException("cannot read " + source + ": " + e.getMessage(), e);
            }
        }
        throw new ImageLibraryException(source + " is neither a directory, a tar archive nor a disk image"
                + (Files.exists(source) ? "" : " (it does not exist)"));
    }

    /** A tar's own marker, or the magic of a compression a tar comes in; checked before any disk signature. */
    private static boolean looksLikeTar(Path source) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(source)) {
            head = in.readNBytes(512);
        }
        boolean ustar = head.length >= 262 && Arrays.equals(head, 257, 262, "ustar".getBytes(StandardCharsets.US_ASCII), 0, 5);
        return ustar || CompressionFormat.detect(head) != CompressionFormat.NONE;
    }

    abstract Imported read(Path source, Context context, Progress progress) throws IOException;

    String kind() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A source kind with its path. */
    record Bound(ImageSource type, Path path) {
        String kind() {
            return type.kind();
        }

        Imported importInto(Context context, Progress progress) throws IOException {
            return type.read(path, context, progress);
        }
    }
}
