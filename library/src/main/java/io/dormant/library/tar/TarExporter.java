package io.dormant.library.tar;

import com.github.luben.zstd.ZstdOutputStream;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes a tree as a PAX tar that GNU tar extracts identically ({@code tar --xattrs
 * --xattrs-include='*' --numeric-owner -xpf}): numeric owners, all 12 mode bits, nanosecond
 * mtimes, xattrs, hardlinks, devices. Names are "./"-relative, in canonical order, so the first
 * member of a hardlink group always comes before its links.
 */
public final class TarExporter {
    private final ObjectStore store;

    public TarExporter(ObjectStore store) {
        this.store = store;
    }

    /** Writes to a temp file next to {@code target} and renames it, so a failed export leaves no half tar. */
    public void export(ObjectId root, Path target, CompressionFormat compression, Progress progress) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream file = Files.newOutputStream(temp);
             OutputStream out = compress(new BufferedOutputStream(file, 1 << 16), compression)) {
            export(root, out, progress);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the tar to {@code out} (not closed). */
    public void export(ObjectId root, OutputStream out, Progress progress) throws IOException {
        export(root, Selection.ALL, out, progress);
    }

    /**
     * Which entries a partial tar holds, by image path without the leading slash (the root is the
     * empty path): an entry is written when {@link #writes} says so, a directory is read when
     * {@link #descends} says so.
     */
    public interface Selection {
        Selection ALL = new Selection() {
            @Override
            public boolean writes(byte[] path, TreeEntry entry) {
                return true;
            }

            @Override
            public boolean descends(byte[] path) {
                return true;
            }
        };

        /** {@code entry} is null for the root directory. */
        boolean writes(byte[] path, TreeEntry entry);

        boolean descends(byte[] path);
    }

    /** Writes the selected entries of the tree to {@code out} (not closed), in the same order a full export has. */
    public void export(ObjectId root, Selection selection, OutputStream out, Progress progress) throws IOException {
        TarArchiveWriter writer = new TarArchiveWriter(out);
        Tree tree = Trees.load(store, root);
        if (selection.writes(new byte[0], null)) {
            directory(writer, new byte[] {'.', '/'}, tree.self());
        }
        walk(writer, tree, new byte[0], selection, progress);
        writer.finish();
    }

    private void walk(TarArchiveWriter writer, Tree tree, byte[] path, Selection selection, Progress progress) throws IOException {
        for (TreeEntry e : tree.entries()) {
            byte[] p = Paths.join(path, e.name());
            byte[] name = Paths.join(new byte[] {'.'}, p);
            Metadata m = e.meta();
            boolean written = selection.writes(p, e);
            if (e.type() == io.dormant.library.tree.EntryType.DIRECTORY) {
                if (!written && !selection.descends(p)) {
                    continue;
                }
                Tree sub = Trees.load(store, e.child());
                if (written) {
                    directory(writer, slash(name), sub.self());
                }
                if (selection.descends(p)) {
                    walk(writer, sub, p, selection, progress);
                }
                progress.advance(written ? 1 : 0, 0);
                continue;
            }
            if (!written) {
                continue;
            }
            switch (e.type()) {
                case DIRECTORY -> throw new IllegalStateException("directories are written above");
                case FILE -> {
                    try (InputStream in = store.open(e.child())) {
                        writer.write(name, '0', m.mode(), m.uid(), m.gid(), e.size(), m.mtimeSeconds(), m.mtimeNanos(),
                                null, 0, 0, m.xattrs(), in);
                    }
                }
                case HARDLINK -> writer.write(name, '1', 0, 0, 0, 0, 0, 0, Paths.join(new byte[] {'.'}, e.target()), 0, 0,
                        Metadata.NO_XATTRS, null);
                case SYMLINK -> writer.write(name, '2', m.mode(), m.uid(), m.gid(), 0, m.mtimeSeconds(), m.mtimeNanos(),
                        e.target(), 0, 0, m.xattrs(), null);
                case CHAR_DEVICE, BLOCK_DEVICE -> writer.write(name, e.type() == io.dormant.library.tree.EntryType.CHAR_DEVICE ? '3' : '4',
                        m.mode(), m.uid(), m.gid(), 0, m.mtimeSeconds(), m.mtimeNanos(), null, e.devMajor(), e.devMinor(),
                        m.xattrs(), null);
                case FIFO -> writer.write(name, '6', m.mode(), m.uid(), m.gid(), 0, m.mtimeSeconds(), m.mtimeNanos(),
                        null, 0, 0, m.xattrs(), null);
                case SOCKET -> {
                    // tar has no socket type; GNU tar skips sockets too ("socket ignored").
                    continue;
                }
            }
            progress.advance(1, e.size());
        }
    }

    private static void directory(TarArchiveWriter writer, byte[] name, Metadata m) throws IOException {
        writer.write(name, '5', m.mode(), m.uid(), m.gid(), 0, m.mtimeSeconds(), m.mtimeNanos(), null, 0, 0, m.xattrs(), null);
    }

    private static byte[] slash(byte[] name) {
        byte[] out = java.util.Arrays.copyOf(name, name.length + 1);
        out[name.length] = '/';
        return out;
    }

    private static OutputStream compress(OutputStream out, CompressionFormat format) throws IOException {
        return switch (format) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case XZ -> new XZOutputStream(out, new LZMA2Options(6));
            case ZSTD -> new ZstdOutputStream(out, 3);
        };
    }
}
