package io.dormant.adapters.patching;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                packages.add(Awaited.result(read, "reading the package files"));
            }
            return packages;
        } finally {
            readers.shutdownNow();
        }
    }
}
