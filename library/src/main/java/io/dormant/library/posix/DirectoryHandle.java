package io.dormant.library.posix;

import java.nio.file.Path;

/**
 * An open directory, reached again through {@code /proc/self/fd}: names resolved under it stay in
 * that directory even when another process swaps the directory's path for a symlink afterwards.
 * For directories that a sandboxed process can write to while Dormant reads and writes there.
 */
public final class DirectoryHandle implements AutoCloseable {

    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;

    private final int fd;

    private DirectoryHandle(int fd) {
        this.fd = fd;
    }

    /** Opens {@code dir}, refusing a symlink or anything that is not a directory. */
    public static DirectoryHandle open(Path dir) throws PosixException {
        return new DirectoryHandle(Posix.open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }

    /** A path to {@code name} inside the opened directory; open it with NOFOLLOW_LINKS to refuse a symlink there too. */
    public Path resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a plain file name");
        }
        return Path.of("/proc/self/fd/" + fd, name);
    }

    @Override
    public void close() {
        Libc.INSTANCE.close(fd);
    }
}
