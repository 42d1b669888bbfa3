package io.dormant.library.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An unnamed file (open with O_TMPFILE) that gets its name only when it is complete, by
 * linkat(2). Linking fails if the name exists, so publishing is atomic and first-writer-wins
 * without a temp name or a rename: fewer directory updates per object than create and rename.
 */
public final class TmpFile implements AutoCloseable {
    private static final int O_WRONLY = 1;
    private static final int O_TMPFILE = 020000000 | ("aarch64".equals(System.getProperty("os.arch")) ? 040000 : 0200000);
    private static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int EEXIST = 17;

    private final int fd;
    private final Path dir;

    private TmpFile(int fd, Path dir) {
        this.fd = fd;
        this.dir = dir;
    }

    /** True when {@code dir}'s file system supports O_TMPFILE and /proc is there to link through. */
    public static boolean supported(Path dir) {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return false;
        }
        try (TmpFile t = open(dir, 0400)) {
            return true;
        } catch (PosixException e) {
            return false;
        }
    }

    public static TmpFile open(Path dir, int mode) throws PosixException {
        try {
            return new TmpFile(Libc.INSTANCE.open(HostPaths.cString(dir), O_TMPFILE | O_WRONLY, mode), dir);
        } catch (LastErrorException e) {
            throw new PosixException("open(O_TMPFILE)", dir.toString(), e.getErrorCode(), text(e));
        }
    }

    /** Writes the buffer's remaining bytes; leaves its position unchanged. */
    public void write(ByteBuffer direct) throws PosixException {
        com.sun.jna.Pointer base = Native.getDirectBufferPointer(direct);
        long off = direct.position();
        long left = direct.remaining();
        while (left > 0) {
            try {
                long n = Libc.INSTANCE.write(fd, base.share(off), left);
                off += n;
                left -= n;
            } catch (LastErrorException e) {
                throw new PosixException("write", dir + " (unnamed file)", e.getErrorCode(), text(e));
            }
        }
    }

    /** Gives the file its name; false if that name already exists (the file is then dropped at close). */
    public boolean linkAs(Path target) throws PosixException {
        byte[] self = ("/proc/self/fd/" + fd + "\0").getBytes(StandardCharsets.US_ASCII);
        try {
            Libc.INSTANCE.linkat(Libc.AT_FDCWD, self, Libc.AT_FDCWD, HostPaths.cString(target), AT_SYMLINK_FOLLOW);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EEXIST) {
                return false;
            }
            throw new PosixException("linkat", target.toString(), e.getErrorCode(), text(e));
        }
    }

    @Override
    public void close() {
        Libc.INSTANCE.close(fd);
    }

    private static String text(LastErrorException e) {
        String m = e.getMessage();
        int b = m == null ? -1 : m.indexOf(']');
        return b >= 0 ? m.substring(b + 1).trim() : String.valueOf(m);
    }
}
