package io.dormant.library.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory trees on the host that Dormant made for itself and throws away (partial checkouts, scratch). */
public final class HostTrees {

    private HostTrees() {
    }

    /**
     * Removes a throw-away tree, never crossing into a file system mounted below it (an overlay left
     * by a crash must not take its lower layer along). A leftover only costs space, so failures are
     * not errors.
     */
    public static void removeQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
        } catch (IOException e) {
            // left behind: costs space only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The bytes the regular files of a tree hold (symlinks are not followed); 0 when it is gone. A
     * sparse file counts what it has allocated: a checkout's stubs (files whose data the overlay
     * reads from the store) count next to nothing.
     */
    public static long size(Path dir) throws IOException {
        long[] bytes = {0};
        if (!Files.exists(dir)) {
            return 0;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    bytes[0] += held(file, attributes.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed meanwhile, or unreadable: not counted
            }
        });
        return bytes[0];
    }

    private static long held(Path file, long size) {
        if (!io.dormant.library.posix.Lstat.available()) {
            return size;
        }
        try {
            return Math.min(size, io.dormant.library.posix.Lstat.of(io.dormant.library.posix.HostPaths.cString(file)).blocks() * 512);
        } catch (IOException e) {
            return size;
        }
    }
}
