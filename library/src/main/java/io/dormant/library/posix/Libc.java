package io.dormant.library.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls that java.nio cannot make. Paths are NUL-terminated byte arrays so that file
 * names which are not valid in the JVM's charset pass through unchanged. Sizes are {@code long}
 * because Dormant runs on 64-bit Linux only (size_t, ssize_t and dev_t are 64 bits there).
 */
interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int XATTR_CREATE = 1;

    long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

    int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    int symlink(byte[] target, byte[] linkpath) throws LastErrorException;

    long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

    int chmod(byte[] path, int mode) throws LastErrorException;

    int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    int open(byte[] path, int flags) throws LastErrorException;

    int open(byte[] path, int flags, int mode) throws LastErrorException;

    long write(int fd, com.sun.jna.Pointer buf, long count) throws LastErrorException;

    int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int syncfs(int fd) throws LastErrorException;

    int fsync(int fd) throws LastErrorException;
}
