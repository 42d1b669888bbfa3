package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatusEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Which packages list each path, as dpkg's file database has it during an apply: read from every
 * package's file list, then kept in step as packages are unpacked and give files up to others.
 * The lists are read in the background from the start of the apply (a few hundred files, a tenth
 * of a second), while the first package's scripts run and its data is decoded; nothing changes a
 * file list before the first unpack.
 */
final class FileOwners {

    private final FutureTask<Map<String, Set<String>>> reading;
    private Map<String, Set<String>> owners;

    FileOwners(DpkgDatabase database) throws IOException {
        // The status is parsed here, on the caller's thread: the database's caches are not shared.
        List<DpkgStatusEntry> entries = database.status();
        reading = new FutureTask<>(() -> read(database, entries));
        Thread reader = new Thread(reading, "dpkg-file-lists");
        reader.setDaemon(true);
        reader.start();
    }

    /** The names of the packages whose file lists have the path. */
    Set<String> holders(String path) throws IOException {
        return owners().getOrDefault(path, Set.of());
    }

    /** The package's file list went from {@code before} to {@code after}. */
    void listed(String packageName, List<String> before, List<String> after) throws IOException {
        owners();
        Set<String> now = new HashSet<>(after);
        for (String path : before) {
            if (!now.contains(path)) {
                released(packageName, path);
            }
        }
        for (String path : after) {
            owners.computeIfAbsent(path, p -> new HashSet<>()).add(packageName);
        }
    }

    /** The package no longer lists the path. */
    void released(String packageName, String path) throws IOException {
        Set<String> holders = owners().get(path);
        if (holders != null) {
            holders.remove(packageName);
        }
    }

    private Map<String, Set<String>> owners() throws IOException {
        if (owners == null) {
            try {
                owners = reading.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading dpkg's file lists");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException("reading dpkg's file lists", e.getCause());
            }
        }
        return owners;
    }

    private static Map<String, Set<String>> read(DpkgDatabase database, List<DpkgStatusEntry> entries) throws IOException {
        Map<String, Set<String>> read = new HashMap<>();
        for (DpkgStatusEntry entry : entries) {
            for (String path : database.fileList(entry.infoName())) {
                read.computeIfAbsent(path, p -> new HashSet<>()).add(entry.name());
            }
        }
        return read;
    }
}
