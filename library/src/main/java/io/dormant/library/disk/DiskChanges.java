package io.dormant.library.disk;

import io.dormant.library.diff.Change;
import io.dormant.library.diff.DiffResult;
import io.dormant.library.tar.TarExporter;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.TreeEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What must be done to a disk holding one version to make it hold another: the paths to remove
 * first, and which entries of the new tree to extract over it.
 *
 * <p>Every directory above a change is extracted too: removing or adding a file changes its
 * directory's mtime on the disk, and extracting the directory's entry sets it back to the version's.
 * A hardlink is extracted when the file it shares is, since extracting a file makes a new inode and
 * a link left alone would keep the old content.
 */
final class DiskChanges implements TarExporter.Selection {
    private final List<byte[]> removals = new ArrayList<>();
    private final Set<ByteBuffer> written = new HashSet<>();
    private final Set<ByteBuffer> above = new HashSet<>();
    private long entries;

    DiskChanges(DiffResult diff) {
        Set<ByteBuffer> removed = new HashSet<>();
        for (Change change : diff.changes()) {
            byte[] path = change.rawPath();
            if (change.status() == Change.Status.REMOVED) {
                if (!removed.contains(ByteBuffer.wrap(parent(path)))) {
                    removals.add(path);
                }
                removed.add(ByteBuffer.wrap(path));
                addParents(path);
                continue;
            }
            if (change.status() == Change.Status.CHANGED && change.kinds().contains(Change.Kind.TYPE)) {
                removals.add(path);
                if (change.oldType() == EntryType.DIRECTORY) {
                    removed.add(ByteBuffer.wrap(path));
                }
            }
            written.add(ByteBuffer.wrap(path));
            addParents(path);
        }
    }

    /** The topmost removed paths, in the diff's order; children of a removed directory go with it. */
    List<byte[]> removals() {
        return removals;
    }

    boolean isEmpty() {
        return removals.isEmpty() && written.isEmpty();
    }

    long entriesWritten() {
        return entries;
    }

    @Override
    public boolean writes(byte[] path, TreeEntry entry) {
        boolean write = written.contains(ByteBuffer.wrap(path)) || above.contains(ByteBuffer.wrap(path))
                || (entry != null && entry.type() == EntryType.HARDLINK && written.contains(ByteBuffer.wrap(entry.target())));
        if (write) {
            entries++;
        }
        return write;
    }

    @Override
    public boolean descends(byte[] path) {
        // Hardlinks to a written file may sit anywhere, so the walk reads every directory; it reads
        // trees only, which costs little beside starting the appliance that extracts them.
        return true;
    }

    private void addParents(byte[] path) {
        byte[] p = path;
        while (p.length > 0) {
            p = parent(p);
            if (!above.add(ByteBuffer.wrap(p))) {
                return;
            }
        }
    }

    private static byte[] parent(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return java.util.Arrays.copyOf(path, i);
            }
        }
        return new byte[0];
    }
}
