package io.dormant.engine.cli;

import io.dormant.library.DormantHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code dormant resident status|stop}: the resident processes that {@code patch apply} hands its
 * work to ({@link ResidentDaemon}) outlive the command for {@code DORMANT_RESIDENT_IDLE} seconds;
 * here an admin sees them and ends them, for instance to free their memory at once. Each holds
 * the lock file of its key while it runs, which is how a running one is told from a leftover.
 */
@Command(name = "resident", mixinStandardHelpOptions = true,
        description = "Show or stop the resident processes that run 'patch apply' for DORMANT_HOME.")
final class ResidentCommand {

    private static final long STOP_WAIT_MILLIS = 10_000;

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the resident processes that run.")
    int status() throws IOException {
        List<String> running = running();
        if (running.isEmpty()) {
            System.out.println("no resident process runs for " + directory().getParent());
        }
        for (String key : running) {
            ResidentKey resident = new ResidentKey(key, directory());
            System.out.println("resident process " + key + " runs (socket " + resident.socket() + ", log " + resident.log() + ")");
        }
        return 0;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop every resident process; one in the middle of an apply finishes it first.")
    int stop() throws IOException, InterruptedException {
        List<String> running = running();
        if (running.isEmpty()) {
            System.out.println("no resident process runs for " + directory().getParent());
            return 0;
        }
        for (String key : running) {
            // A resident process ends within a second of its socket going away, or after its command.
            Files.deleteIfExists(socket(key));
        }
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        List<String> left = running;
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            left = running();
        }
        for (String key : running) {
            System.out.println(left.contains(key)
                    ? "resident process " + key + " is still finishing a command; it ends when that is done"
                    : "stopped resident process " + key);
        }
        return 0;
    }

    /** The keys whose lock is held, that is whose resident process runs. */
    private static List<String> running() throws IOException {
        List<String> keys = new ArrayList<>();
        Path directory = directory();
        if (!Files.isDirectory(directory)) {
            return keys;
        }
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(directory, "resident-*.lock")) {
            for (Path lock : locks) {
                String name = lock.getFileName().toString();
                String key = name.substring("resident-".length(), name.length() - ".lock".length());
                if (new ResidentKey(key, directory).lock().equals(lock) && held(lock)) {
                    keys.add(key);
                }
            }
        }
        keys.sort(null);
        return keys;
    }

    private static boolean held(Path lock) throws IOException {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
             FileLock taken = channel.tryLock()) {
            return taken == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private static Path directory() {
        return DormantHome.resolve(System.getenv()).resolve("run");
    }

    private static Path socket(String key) {
        return new ResidentKey(key, directory()).socket();
    }
}
