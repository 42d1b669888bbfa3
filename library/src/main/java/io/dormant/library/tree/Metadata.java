package io.dormant.library.tree;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The inode attributes Dormant keeps for every file, directory and special file: the 12 permission
 * bits (with setuid, setgid, sticky), numeric owner, modification time to the nanosecond, and every
 * extended attribute (security.capability, system.posix_acl_*, security.selinux, user.*, …).
 */
public record Metadata(int mode, long uid, long gid, long mtimeSeconds, int mtimeNanos, SortedMap<String, byte[]> xattrs) {
    public static final SortedMap<String, byte[]> NO_XATTRS = Collections.emptySortedMap();

    public Metadata {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond 07777");
        }
        if (uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
            throw new IllegalArgumentException("uid/gid out of range: " + uid + "/" + gid);
        }
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999) {
            throw new IllegalArgumentException("mtime nanoseconds out of range: " + mtimeNanos);
        }
        xattrs = xattrs == null || xattrs.isEmpty() ? NO_XATTRS : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    }

    public static Metadata of(int mode, long uid, long gid, long mtimeSeconds, int mtimeNanos) {
        return new Metadata(mode, uid, gid, mtimeSeconds, mtimeNanos, NO_XATTRS);
    }

    public Metadata withMode(int newMode) {
        return new Metadata(newMode, uid, gid, mtimeSeconds, mtimeNanos, xattrs);
    }

    public Metadata withOwner(long newUid, long newGid) {
        return new Metadata(mode, newUid, newGid, mtimeSeconds, mtimeNanos, xattrs);
    }

    public Metadata withMtime(long seconds, int nanos) {
        return new Metadata(mode, uid, gid, seconds, nanos, xattrs);
    }

    public Metadata withXattrs(SortedMap<String, byte[]> newXattrs) {
        return new Metadata(mode, uid, gid, mtimeSeconds, mtimeNanos, newXattrs);
    }

    public boolean sameMtime(Metadata o) {
        return mtimeSeconds == o.mtimeSeconds && mtimeNanos == o.mtimeNanos;
    }

    public boolean sameXattrs(Metadata o) {
        return xattrsEqual(xattrs, o.xattrs);
    }

    static boolean xattrsEqual(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata m && mode == m.mode && uid == m.uid && gid == m.gid
                && mtimeSeconds == m.mtimeSeconds && mtimeNanos == m.mtimeNanos && xattrsEqual(xattrs, m.xattrs);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mode * 31L + uid * 17 + gid + mtimeSeconds * 7 + mtimeNanos) * 31 + xattrs.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "Metadata[mode=" + Integer.toOctalString(mode) + ", uid=" + uid + ", gid=" + gid + ", mtime="
                + mtimeSeconds + "." + String.format("%09d", mtimeNanos) + ", xattrs=" + xattrs.keySet() + "]";
    }
}
