package io.dormant.adapters.patching;

import io.dormant.adapters.deb.DebPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the package files of an apply, on every core, from the moment it is started: each file is
 * hashed whole and its control archive decompressed, and the files do not depend on each other, so
 * the command line starts reading them while it opens the library. The answer keeps the given
 * order; the first file that fails (in that order) fails the read with its own error. A file this
 * process read before, unchanged since, is not read again ({@link ReadPackages}).
 */
public final class PackageFiles implements AutoCloseable {

    private final List<Path> files;
    private final ExecutorService readers;
    private final List<Future<DebPackage>> reads = new ArrayList<>();

    private PackageFiles(List<Path> files) {
        this.files = List.copyOf(files);
        this.readers = Executors.newFixedThreadPool(Math.max(1, Math.min(files.size(),
                Runtime.getRuntime().availableProcessors())), runnable -> {
                    Thread thread = new Thread(runnable, "package-reader");
                    thread.setDaemon(true);
                    return thread;
                });
        for (Path file : this.files) {
            reads.add(readers.submit(() -> ReadPackages.read(file)));
        }
    }

    /** Starts reading {@code files}; {@link #packages()} waits for them. */
    public static PackageFiles read(List<Path> files) {
        return new PackageFiles(files);
    }

    public List<Path> files() {
        return files;
    }

    /** Every package, in the order of {@link #files()}, once all are read. */
    public List<DebPackage> packages() throws IOException {
        List<DebPackage> packages = new ArrayList<>();
        for (Future<DebPackage> read : reads) {
            packages.add(Awaited.result(read, "reading the package files"));
        }
        return packages;
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
