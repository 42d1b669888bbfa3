package io.dormant.library.posix;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * File operations that java.nio cannot do, none of which follows a symlink at the final name:
 * extended attributes of every namespace, device nodes, ownership and nanosecond times.
 */
public final class Posix {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    private static final int ERANGE = 34;
    private static final int ENODATA = 61;

    private Posix() {
    }

    /** All extended attributes of {@code path} (not following a symlink), sorted by name. */
    public static SortedMap<String, byte[]> listXattrs(Path path) throws PosixException {
        byte[] p = HostPaths.cString(path);
        byte[] names = listNames(p, path);
        if (names.length == 0) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, byte[]> out = new TreeMap<>();
        int start = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == 0) {
                if (i > start) {
                    byte[] name = new byte[i - start + 1];
                    System.arraycopy(names, start, name, 0, i - start);
                    byte[] value = getXattr(p, name, path);
                    if (value != null) {
                        out.put(new String(name, 0, name.length - 1, StandardCharsets.UTF_8), value);
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static byte[] listNames(byte[] p, Path path) throws PosixException {
        long size = 1024;
        while (true) {
            byte[] buf = new byte[(int) size];
            try {
                long n = Libc.INSTANCE.llistxattr(p, buf, buf.length);
                byte[] out = new byte[(int) n];
                System.arraycopy(buf, 0, out, 0, (int) n);
                return out;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != ERANGE) {
                    throw fail("llistxattr", path, e);
                }
                size = call(() -> Libc.INSTANCE.llistxattr(p, null, 0), "llistxattr", path);
                size = Math.max(size, 1);
            }
        }
    }

    private static byte[] getXattr(byte[] p, byte[] name, Path path) throws PosixException {
        byte[] buf = new byte[256];
        while (true) {
            try {
                long n = Libc.INSTANCE.lgetxattr(p, name, buf, buf.length);
                byte[] out = new byte[(int) n];
                System.arraycopy(buf, 0, out, 0, (int) n);
                return out;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return null; // removed between list and get
                }
                if (e.getErrorCode() != ERANGE) {
                    throw fail("lgetxattr " + new String(name, 0, name.length - 1, StandardCharsets.UTF_8), path, e);
                }
                long size = call(() -> Libc.INSTANCE.lgetxattr(p, name, null, 0), "lgetxattr", path);
                buf = new byte[(int) Math.max(size, buf.length * 2L)];
            }
        }
    }

    public static void setXattr(Path path, String name, byte[] value) throws PosixException {
        byte[] n = cString(name);
        call(() -> Libc.INSTANCE.lsetxattr(HostPaths.cString(path), n, value, value.length, 0), "lsetxattr " + name, path);
    }

    public static void removeXattr(Path path, String name) throws PosixException {
        call(() -> Libc.INSTANCE.lremovexattr(HostPaths.cString(path), cString(name)), "lremovexattr " + name, path);
    }

    /** Creates a device node, fifo or socket; {@code typeBits} is one of the S_IF* constants. */
    public static void mknod(Path path, int typeBits, int permissions, int major, int minor) throws PosixException {
        long dev = makedev(major, minor);
        call(() -> Libc.INSTANCE.mknod(HostPaths.cString(path), typeBits | (permissions & 07777), dev), "mknod", path);
    }

    /** Creates a symlink holding exactly {@code target}'s bytes (java.nio would normalize them). */
    public static void symlink(byte[] target, Path link) throws PosixException {
        byte[] t = new byte[target.length + 1];
        System.arraycopy(target, 0, t, 0, target.length);
        call(() -> Libc.INSTANCE.symlink(t, HostPaths.cString(link)), "symlink", link);
    }

    /** The exact bytes of a symlink's target. */
    public static byte[] readlink(Path link) throws PosixException {
        byte[] p = HostPaths.cString(link);
        for (int size = 256; ; size *= 4) {
            byte[] buf = new byte[size];
            int n = call(() -> Libc.INSTANCE.readlink(p, buf, buf.length), "readlink", link);
            if (n < size) {
                byte[] out = new byte[n];
                System.arraycopy(buf, 0, out, 0, n);
                return out;
            }
        }
    }

    /** chmod(2) with all 12 bits (java.nio cannot set setuid, setgid or sticky); never call it on a symlink. */
    public static void chmod(Path path, int mode) throws PosixException {
        call(() -> Libc.INSTANCE.chmod(HostPaths.cString(path), mode & 07777), "chmod", path);
    }

    public static void lchown(Path path, long uid, long gid) throws PosixException {
        call(() -> Libc.INSTANCE.lchown(HostPaths.cString(path), (int) uid, (int) gid), "lchown", path);
    }

    /** Sets access and modification time to the same instant, on the link itself for a symlink. */
    public static void setMtime(Path path, long seconds, int nanos) throws PosixException {
        long[] times = {seconds, nanos, seconds, nanos};
        call(() -> Libc.INSTANCE.utimensat(Libc.AT_FDCWD, HostPaths.cString(path), times, Libc.AT_SYMLINK_NOFOLLOW),
                "utimensat", path);
    }

    /** Flushes every dirty page and metadata change of the file system holding {@code path}. */
    public static void syncfs(Path path) throws PosixException {
        int fd = call(() -> Libc.INSTANCE.open(HostPaths.cString(path), 0), "open", path);
        try {
            call(() -> Libc.INSTANCE.syncfs(fd), "syncfs", path);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }

    /** fsync of one file or directory, opened read-only. */
    public static void fsync(Path path) throws PosixException {
        int fd = call(() -> Libc.INSTANCE.open(HostPaths.cString(path), 0), "open", path);
        try {
            call(() -> Libc.INSTANCE.fsync(fd), "fsync", path);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }

    /** open(2) with raw flags; the caller closes the descriptor. */
    static int open(Path path, int flags) throws PosixException {
        return call(() -> Libc.INSTANCE.open(HostPaths.cString(path), flags), "open", path);
    }

    /** glibc's gnu_dev_makedev. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, b.length);
        return c;
    }

    private interface Call {
        long run() throws LastErrorException;
    }

    private static int call(Call c, String what, Path path) throws PosixException {
        try {
            return (int) c.run();
        } catch (LastErrorException e) {
            throw fail(what, path, e);
        }
    }

    private static PosixException fail(String what, Path path, LastErrorException e) {
        String text = e.getMessage();
        int bracket = text == null ? -1 : text.indexOf(']');
        if (bracket >= 0) {
            text = text.substring(bracket + 1).trim();
        }
        return new PosixException(what, path.toString(), e.getErrorCode(), text);
    }
}
