package io.dormant.library.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.dormant.library.posix.HostPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The descriptor a writer session appends to its pack through, with pwrite(2) and an flock(2) held
 * until the session ends. Not a FileChannel: an interrupt of any thread that writes through a
 * FileChannel closes it for every thread, and a failed import interrupts its workers. And flock,
 * unlike the fcntl locks of FileChannel.lock, is not dropped when this process closes some other
 * descriptor of the same file (a reader's, a gc probe's).
 */
final class PackFile implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int EWOULDBLOCK = 11;

    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int open(byte[] path, int flags, int mode) throws LastErrorException;

        long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

        long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

        int flock(int fd, int operation) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final Path path;
    private final int fd;

    private PackFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Creates {@code path} (it must not exist) and locks it exclusively. */
    static PackFile create(Path path) throws IOException {
        int fd;
        try {
            fd = C.INSTANCE.open(HostPaths.cString(path), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        } catch (LastErrorException e) {
            throw fail("create", path, e);
        }
        try {
            C.INSTANCE.flock(fd, LOCK_EX);
        } catch (LastErrorException e) {
            C.INSTANCE.close(fd);
            throw fail("lock", path, e);
        }
        return new PackFile(path, fd);
    }

    /** True when some open session holds the lock on the pack at {@code path}; false when it is gone. */
    static boolean isLocked(Path path) throws IOException {
        int fd;
        try {
            fd = C.INSTANCE.open(HostPaths.cString(path), O_RDONLY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                return false;
            }
            throw fail("open", path, e);
        }
        try {
            C.INSTANCE.flock(fd, LOCK_SH | LOCK_NB);
            return false;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EWOULDBLOCK) {
                return true;
            }
            throw fail("probe the lock of", path, e);
        } finally {
            C.INSTANCE.close(fd);
        }
    }

    /** Writes the buffer's remaining bytes at {@code position}; the buffer's position is kept. */
    void write(ByteBuffer data, long position) throws IOException {
        int left = data.remaining();
        long done = 0;
        byte[] heap = data.isDirect() ? null : bytesOf(data);
        Pointer base = data.isDirect() ? Native.getDirectBufferPointer(data).share(data.position()) : null;
        while (done < left) {
            try {
                done += heap != null
                        ? C.INSTANCE.pwrite(fd, done == 0 ? heap : java.util.Arrays.copyOfRange(heap, (int) done, left), left - done, position + done)
                        : C.INSTANCE.pwrite(fd, base.share(done), left - done, position + done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw fail("write to", path, e);
                }
            }
        }
    }

    private static byte[] bytesOf(ByteBuffer data) {
        if (data.hasArray() && data.arrayOffset() + data.position() == 0 && data.remaining() == data.array().length) {
            return data.array();
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    /** Closes the descriptor, which releases the lock. */
    @Override
    public void close() {
        C.INSTANCE.close(fd);
    }

    private static IOException fail(String what, Path path, LastErrorException e) {
        String m = e.getMessage();
        int b = m == null ? -1 : m.indexOf(']');
        return new IOException("cannot " + what + " the pack " + path + ": " + (b >= 0 ? m.substring(b + 1).trim() : m)
                + " (errno " + e.getErrorCode() + ")");
    }
}
