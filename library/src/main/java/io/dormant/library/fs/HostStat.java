package io.dormant.library.fs;

import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/** lstat(2) of a host path through java.nio's "unix:" view, which keeps nanosecond times. */
record HostStat(int mode, long ino, long dev, long rdev, int nlink, long uid, long gid, long size, long mtimeSeconds,
                int mtimeNanos, long ctimeNanos) {
    private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime";

    static HostStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        Instant ctime = ((FileTime) a.get("ctime")).toInstant();
        return new HostStat((Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("rdev"),
                (Integer) a.get("nlink"), ((Integer) a.get("uid")) & 0xffffffffL, ((Integer) a.get("gid")) & 0xffffffffL,
                (Long) a.get("size"), mtime.getEpochSecond(), mtime.getNano(),
                ctime.getEpochSecond() * 1_000_000_000L + ctime.getNano());
    }

    /** lstat of a NUL-terminated raw path, where {@link Lstat#available()}. */
    static HostStat of(byte[] cPath) throws IOException {
        Lstat.Fields f = Lstat.of(cPath);
        return new HostStat(f.mode(), f.ino(), f.dev(), f.rdev(), (int) f.nlink(), f.uid(), f.gid(), f.size(),
                f.mtimeSeconds(), f.mtimeNanos(), f.ctimeSeconds() * 1_000_000_000L + f.ctimeNanos());
    }

    /** The type, or null for a mode this program does not know. */
    EntryType type() {
        return switch (mode & Posix.S_IFMT) {
            case Posix.S_IFREG -> EntryType.FILE;
            case Posix.S_IFDIR -> EntryType.DIRECTORY;
            case Posix.S_IFLNK -> EntryType.SYMLINK;
            case Posix.S_IFCHR -> EntryType.CHAR_DEVICE;
            case Posix.S_IFBLK -> EntryType.BLOCK_DEVICE;
            case Posix.S_IFIFO -> EntryType.FIFO;
            case Posix.S_IFSOCK -> EntryType.SOCKET;
            default -> null;
        };
    }

    Metadata metadata(SortedMap<String, byte[]> xattrs) {
        return new Metadata(mode & 07777, uid, gid, mtimeSeconds, mtimeNanos, xattrs);
    }

    long mtimeTotalNanos() {
        return mtimeSeconds * 1_000_000_000L + mtimeNanos;
    }
}
