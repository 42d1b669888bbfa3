package io.dormant.adapters.patching;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the package files of an apply, on every core: each file is hashed whole and its control
 * archive decompressed, and the files do not depend on each other. The answer keeps the given
 * order; the first file that fails (in that order) fails the read with its own error.
 */
final class PackageFiles {

    private PackageFiles() {
    }

    static List<DebPackage> readAll(List<Path> files) throws IOException {
        if (files.size() < 2) {
            List<DebPackage> one = new ArrayList<>();
            for (Path file : files) {
                one.add(DebPackageReader.read(file));
            }
            return one;
        }
        ExecutorService readers = Executors.newFixedThreadPool(
                Math.min(files.size(), Runtime.getRuntime().availableProcessors()), runnable -> {
                    Thread thread = new Thread(runnable, "package-reader");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<DebPackage>> reads = new ArrayList<>();
            for (Path file : files) {
                reads.add(readers.submit(() -> DebPackageReader.read(file)));
            }
            List<DebPackage> packages = new ArrayList<>();
            for (Future<DebPackage> read : reads) {
                packages.add(awaited(read));
            }
            return packages;
        } finally {
            readers.shutdownNow();
        }
    }

    private static DebPackage awaited(Future<DebPackage> read) throws IOException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the package files");
        }
    }
}
