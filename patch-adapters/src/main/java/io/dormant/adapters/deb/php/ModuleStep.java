package io.dormant.adapters.deb.php;

import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** One change phpenmod or phpdismod would make ({@link PhpModules}), or a warning it would print. */
sealed interface ModuleStep {
    void perform(RootedFiles image, StringBuilder stderr) throws IOException;

    String describe();

    record Warning(String text) implements ModuleStep {
        @Override
        public void perform(RootedFiles image, StringBuilder stderr) {
            stderr.append("WARNING: ").append(text).append('\n');
        }

        @Override
        public String describe() {
            return "warned: " + text;
        }
    }

    record Link(String path, String target) implements ModuleStep {
        @Override
        public void perform(RootedFiles image, StringBuilder stderr) throws IOException {
            Path link = image.resolve(path, false);
            Files.createSymbolicLink(link, Path.of(target));
            Posix.lchown(link, 0, 0);
        }

        @Override
        public String describe() {
            return "linked " + path;
        }
    }

    record Remove(String path) implements ModuleStep {
        @Override
        public void perform(RootedFiles image, StringBuilder stderr) throws IOException {
            Files.deleteIfExists(image.resolve(path, false));
        }

        @Override
        public String describe() {
            return "removed " + path;
        }
    }

    /** {@code mkdir -p} of the parent, then {@code touch}: made empty (0644, root) or its times set to now. */
    record Touch(String path) implements ModuleStep {
        @Override
        public void perform(RootedFiles image, StringBuilder stderr) throws IOException {
            String parent = path.substring(0, path.lastIndexOf('/'));
            makeDirectories(image, parent);
            Path file = image.resolve(path, true);
            if (Files.exists(file)) {
                FileTime now = FileTime.from(Instant.now());
                Files.setLastModifiedTime(file, now);
                Files.setAttribute(file, "lastAccessTime", now);
                return;
            }
            Files.write(file, new byte[0]);
            Posix.lchown(file, 0, 0);
            Posix.chmod(file, 0644);
        }

        @Override
        public String describe() {
            return "recorded " + path;
        }
    }

    private static void makeDirectories(RootedFiles image, String directory) throws IOException {
        if (Files.isDirectory(image.resolve(directory, true))) {
            return;
        }
        makeDirectories(image, directory.substring(0, directory.lastIndexOf('/')));
        Path made = image.resolve(directory, true);
        Files.createDirectory(made);
        Posix.lchown(made, 0, 0);
        Posix.chmod(made, 0755);
    }
}
