package io.dormant.library.workspace;

import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which paths of a workspace are hardlinks of which first path. A tree only says "this name is a
 * link to that path", so the reverse is found by one scan of the image, made the first time a
 * delete, rename or new link could break a group, and kept up to date after that.
 */
final class Hardlinks {
    private final Map<String, TreeSet<byte[]>> linksByFirst = new HashMap<>();

    static Hardlinks scan(DirState root, ObjectStore store) throws IOException {
        Hardlinks h = new Hardlinks();
        h.walk(root, new byte[0], store);
        return h;
    }

    private void walk(DirState dir, byte[] path, ObjectStore store) throws IOException {
        for (TreeEntry e : dir.list(store)) {
            byte[] p = Paths.join(path, e.name());
            if (e.type() == EntryType.HARDLINK) {
                add(e.target(), p);
            } else if (e.type() == EntryType.DIRECTORY) {
                walk(dir.subdir(store, e.name()), p, store);
            }
        }
    }

    void add(byte[] first, byte[] link) {
        linksByFirst.computeIfAbsent(key(first), k -> new TreeSet<>(Paths::compareCanonical)).add(link);
    }

    /** The other names of the group whose first name is {@code first}; empty if it has none. */
    Set<byte[]> linksOf(byte[] first) {
        TreeSet<byte[]> s = linksByFirst.get(key(first));
        return s == null ? Set.of() : s;
    }

    void removeLink(byte[] first, byte[] link) {
        TreeSet<byte[]> s = linksByFirst.get(key(first));
        if (s != null) {
            s.removeIf(p -> Paths.compareCanonical(p, link) == 0);
            if (s.isEmpty()) {
                linksByFirst.remove(key(first));
            }
        }
    }

    void replaceGroup(byte[] oldFirst, byte[] newFirst, Collection<byte[]> links) {
        linksByFirst.remove(key(oldFirst));
        if (!links.isEmpty()) {
            TreeSet<byte[]> s = new TreeSet<>(Paths::compareCanonical);
            s.addAll(links);
            linksByFirst.put(key(newFirst), s);
        }
    }

    /** First paths of every group with a member equal to or under {@code prefix}. */
    List<byte[]> groupsTouching(byte[] prefix) {
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<String, TreeSet<byte[]>> e : linksByFirst.entrySet()) {
            byte[] first = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            if (under(first, prefix) || e.getValue().stream().anyMatch(p -> under(p, prefix))) {
                out.add(first);
            }
        }
        return out;
    }

    static boolean under(byte[] path, byte[] prefix) {
        if (path.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (path[i] != prefix[i]) {
                return false;
            }
        }
        return path.length == prefix.length || path[prefix.length] == '/';
    }

    private static String key(byte[] path) {
        return new String(path, StandardCharsets.ISO_8859_1);
    }
}
