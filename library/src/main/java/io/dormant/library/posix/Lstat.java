package io.dormant.library.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * lstat(2) on a raw path through a direct JNA mapping: a walk that stats every entry of an image
 * (an unchanged re-import does little else) spends a third less than through java.nio, and needs no
 * {@link Path}. The layout of struct stat is the kernel's for x86_64 and aarch64; it is checked
 * against java.nio once, and where it does not match or libc has no lstat symbol (glibc before
 * 2.33), {@link #available()} is false and callers use java.nio.
 */
public final class Lstat {
    private static final int SIZE = 256;
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder()));
    private static final int ENOENT = 2;
    private static final Layout LAYOUT = Layout.forArch(System.getProperty("os.arch"));
    private static final boolean AVAILABLE = LAYOUT != null && bind() && selfCheck();

    /** Where the fields are: offsets in struct stat; nlink is 8 bytes on x86_64, 4 on aarch64. */
    private record Layout(int dev, int ino, int nlink, boolean nlink64, int mode, int uid, int gid, int rdev, int size,
                          int blocks, int mtime, int ctime) {
        static Layout forArch(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> new Layout(0, 8, 16, true, 24, 28, 32, 40, 48, 64, 88, 104);
                case "aarch64" -> new Layout(0, 8, 20, false, 16, 24, 28, 32, 48, 64, 88, 104);
                default -> null;
            };
        }
    }

    /** The fields Dormant reads; times are seconds and nanoseconds; blocks are of 512 bytes, as allocated. */
    public record Fields(int mode, long ino, long dev, long rdev, long nlink, long uid, long gid, long size,
                         long mtimeSeconds, int mtimeNanos, long ctimeSeconds, int ctimeNanos, long blocks) {
    }

    private Lstat() {
    }

    private static native int lstat(byte[] path, byte[] buf) throws LastErrorException;

    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * The S_IF* type bits of what is at {@code path}, not following a symlink; 0 when nothing is.
     * Through libc where the layout is known, else through java.nio (which tells fewer types apart:
     * anything but a directory, symlink or regular file reads as a FIFO).
     */
    public static int type(Path path) throws java.io.IOException {
        try {
            if (available()) {
                byte[] cPath = HostPaths.cString(path);
                int type = Quiet.type(cPath);
                if (type >= 0) {
                    return type;
                }
                if (-type == ENOENT) {
                    return 0;
                }
                throw new PosixException("lstat", display(cPath), -type, "lstat failed");
            }
            return nioType(path);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /**
     * The S_IF* type bits of what is at {@code path}, or 0 when lstat fails for any reason (nothing
     * there, a file where a directory should be, no permission): what {@code Files.isDirectory} and
     * {@code Files.isSymbolicLink} answer false to, in one call and without an exception.
     */
    public static int typeOrNone(Path path) {
        if (available()) {
            return Math.max(Quiet.type(HostPaths.cString(path)), 0);
        }
        try {
            return nioType(path);
        } catch (java.io.IOException | SecurityException e) {
            return 0;
        }
    }

    /** java.nio's answer, which tells fewer types apart: anything else reads as a FIFO. */
    private static int nioType(Path path) throws java.io.IOException {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(path,
                java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isDirectory() ? Posix.S_IFDIR : a.isSymbolicLink() ? Posix.S_IFLNK
                : a.isRegularFile() ? Posix.S_IFREG : Posix.S_IFIFO;
    }

    private static String display(byte[] cPath) {
        return new String(cPath, 0, cPath.length - 1, StandardCharsets.UTF_8);
    }

    /**
     * lstat(2) that reports a failure by its return value: a missing path is common (an unpack asks
     * about every new file), and the exception JNA would build for it, stack trace and all, costs
     * more than the call.
     */
    private static final class Quiet {
        static {
            Native.register(Quiet.class, "c");
        }

        private static native int lstat(byte[] path, byte[] buf);

        /** The type bits, or minus errno. */
        static int type(byte[] cPath) {
            ByteBuffer buf = BUFFERS.get();
            if (lstat(cPath, buf.array()) != 0) {
                return -Native.getLastError();
            }
            return buf.getInt(LAYOUT.mode) & Posix.S_IFMT;
        }
    }

    /**
     * lstat of a NUL-terminated raw path.
     *
     * @throws NoSuchFileException when it does not exist, as java.nio would
     */
    public static Fields of(byte[] cPath) throws PosixException, NoSuchFileException {
        ByteBuffer buf = BUFFERS.get();
        try {
            lstat(cPath, buf.array());
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                throw new NoSuchFileException(display(cPath));
            }
            throw new PosixException("lstat", display(cPath), e.getErrorCode(), "lstat failed");
        }
        Layout l = LAYOUT;
        return new Fields(buf.getInt(l.mode), buf.getLong(l.ino), buf.getLong(l.dev), buf.getLong(l.rdev),
                l.nlink64 ? buf.getLong(l.nlink) : buf.getInt(l.nlink) & 0xffffffffL,
                buf.getInt(l.uid) & 0xffffffffL, buf.getInt(l.gid) & 0xffffffffL, buf.getLong(l.size),
                buf.getLong(l.mtime), (int) buf.getLong(l.mtime + 8), buf.getLong(l.ctime), (int) buf.getLong(l.ctime + 8),
                buf.getLong(l.blocks));
    }

    private static boolean bind() {
        try {
            Native.register(Lstat.class, "c");
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** The same answer as java.nio for the JDK's own directory (which nothing changes), or this class is not used. */
    private static boolean selfCheck() {
        try {
            Path probe = Path.of(System.getProperty("java.home")).toAbsolutePath();
            Fields f = of(HostPaths.cString(probe));
            Map<String, Object> a = Files.readAttributes(probe, "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,ctime",
                    LinkOption.NOFOLLOW_LINKS);
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            FileTime ctime = (FileTime) a.get("ctime");
            return f.mode() == (Integer) a.get("mode") && f.ino() == (Long) a.get("ino") && f.dev() == (Long) a.get("dev")
                    && f.nlink() == (Integer) a.get("nlink") && f.uid() == ((Integer) a.get("uid") & 0xffffffffL)
                    && f.gid() == ((Integer) a.get("gid") & 0xffffffffL) && f.size() == (Long) a.get("size")
                    && f.mtimeSeconds() == mtime.toInstant().getEpochSecond() && f.mtimeNanos() == mtime.toInstant().getNano()
                    && f.ctimeSeconds() == ctime.toInstant().getEpochSecond() && f.ctimeNanos() == ctime.toInstant().getNano();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
