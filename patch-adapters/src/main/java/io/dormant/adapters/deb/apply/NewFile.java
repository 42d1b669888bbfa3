package io.dormant.adapters.deb.apply;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.dormant.library.posix.HostPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A regular file being created from a package, through one descriptor: made with
 * {@code O_CREAT|O_EXCL} (which never follows a symlink at the name), written, then given its
 * owner, mode and time on the descriptor. Unpacking writes thousands of small files, and path-based
 * calls would look each name up again on every call.
 */
final class NewFile implements AutoCloseable {

    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int EEXIST = 17;

    static {
        Native.register(NewFile.class, "c");
    }

    private static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    private static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    private static native int fchown(int fd, int uid, int gid) throws LastErrorException;

    private static native int fchmod(int fd, int mode) throws LastErrorException;

    private static native int futimens(int fd, long[] times) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final Path path;
    private int fd;

    private NewFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Creates {@code path}, which must not exist, readable and writable by its owner only until
     * {@link #finish} gives it its mode.
     *
     * @throws FileAlreadyExistsException when something (a symlink included) is there
     */
    static NewFile create(Path path) throws IOException {
        try {
            return new NewFile(path, open(HostPaths.cString(path), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EEXIST) {
                throw new FileAlreadyExistsException(path.toString());
            }
            if (e.getErrorCode() == ENOENT) {
                throw new NoSuchFileException(path.toString());
            }
            throw failure("open", path, e);
        }
    }

    /**
     * Writes all of {@code content}, adding it to {@code md5} unless that is null. The bytes pass
     * through {@code buffer} and then {@code nativeBuffer} of the same size: JNA would copy a whole
     * Java array on every call, however little of it is written.
     */
    void write(InputStream content, byte[] buffer, Memory nativeBuffer, MessageDigest md5) throws IOException {
        for (int n; (n = content.readNBytes(buffer, 0, buffer.length)) > 0; ) {
            if (md5 != null) {
                md5.update(buffer, 0, n);
            }
            nativeBuffer.write(0, buffer, 0, n);
            writeFully(nativeBuffer, n);
        }
    }

    /** Writes all of {@code content}, which is no larger than {@code nativeBuffer}. */
    void write(byte[] content, Memory nativeBuffer) throws IOException {
        if (content.length > 0) {
            nativeBuffer.write(0, content, 0, content.length);
            writeFully(nativeBuffer, content.length);
        }
    }

    private void writeFully(Memory nativeBuffer, int length) throws IOException {
        long done = 0;
        while (done < length) {
            try {
                done += write(fd, done == 0 ? nativeBuffer : nativeBuffer.share(done), length - done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("write", e);
                }
            }
        }
    }

    /** Owner, then mode (chown clears set-id bits), then access and modification time. */
    void finish(long uid, long gid, int mode, long mtimeSeconds) throws IOException {
        try {
            fchown(fd, (int) uid, (int) gid);
        } catch (LastErrorException e) {
            throw failure("fchown", e);
        }
        try {
            fchmod(fd, mode & 07777);
        } catch (LastErrorException e) {
            throw failure("fchmod", e);
        }
        try {
            futimens(fd, new long[] {mtimeSeconds, 0, mtimeSeconds, 0});
        } catch (LastErrorException e) {
            throw failure("futimens", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (fd < 0) {
            return;
        }
        int closing = fd;
        fd = -1;
        try {
            close(closing);
        } catch (LastErrorException e) {
            throw failure("close", e);
        }
    }

    private IOException failure(String call, LastErrorException e) {
        return failure(call, path, e);
    }

    private static IOException failure(String call, Path path, LastErrorException e) {
        String text = e.getMessage();
        int bracket = text == null ? -1 : text.indexOf(']');
        if (bracket >= 0) {
            text = text.substring(bracket + 1).trim();
        }
        return new IOException(call + " failed on " + path + ": " + text + " (errno " + e.getErrorCode() + ")");
    }
}
