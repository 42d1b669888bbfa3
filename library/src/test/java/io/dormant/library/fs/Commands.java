package io.dormant.library.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs host tools (tar, rsync, setfacl, ostree …) from tests and finds the test root file system. */
public final class Commands {
    private Commands() {
    }

    /** Runs a command, fails the test on a non-zero exit, returns stdout. */
    public static String run(String... command) throws IOException, InterruptedException {
        Result r = exec(command);
        assertThat(r.exit()).as("exit of %s; stderr: %s", String.join(" ", command), r.stderr()).isZero();
        return r.stdout();
    }

    public record Result(int exit, String stdout, String stderr) {
    }

    public static Result exec(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cmd", ".out");
        Path err = Files.createTempFile("cmd", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int exit = p.waitFor();
            return new Result(exit, Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static boolean available(String tool) {
        try {
            return exec("sh", "-c", "command -v " + tool).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The debootstrapped Debian tree the round-trip tests run on: DORMANT_TEST_ROOTFS, else the
     * usual cache location. Tests that need it are skipped, saying why, when there is none.
     */
    public static Path rootfs() {
        String env = System.getenv("DORMANT_TEST_ROOTFS");
        List<String> candidates = env != null ? List.of(env)
                : List.of("/var/cache/dormant-test/bookworm-minbase", "/var/cache/dormant-test/bookworm-minbase.tmp");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isDirectory(p.resolve("usr/bin")) && Files.exists(p.resolve("etc/os-release"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        Assumptions.abort("no debootstrap tree at " + candidates + " (make one with debootstrap --variant=minbase bookworm)");
        return null;
    }

    /** A scratch directory on the same file system as the store (not tmpfs, so xattrs work). */
    public static Path scratch(String name) throws IOException {
        Path base = Path.of("/var/tmp/dormant-tests");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            run("rm", "-rf", "--one-file-system", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
