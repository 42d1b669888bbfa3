package io.dormant.adapters.deb;

import io.dormant.library.tar.EntryPathException;
import io.dormant.library.tar.EntryPathResolver;
import io.dormant.library.tar.LimitExceededException;
import io.dormant.library.tar.TarLimits;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Streams a data archive to a visitor. Every name, and every hardlink target, goes through the
 * library's {@link EntryPathResolver} before the visitor sees the entry, so that ".." names,
 * absolute names and names under an earlier symlink entry are refused here, once, for every
 * caller. The resolver keeps only the shape of the tree (no content), which is small.
 */
final class DebDataTarReader {

    private DebDataTarReader() {
    }

    static void visit(DebTarStream tar, String label, TarLimits limits, DebDataVisitor visitor) throws IOException {
        EntryPathResolver resolver = new EntryPathResolver(ImageNode.directory(EntryPathResolver.IMPLIED_DIRECTORY));
        long count = 0;
        TarArchiveEntry e;
        while ((e = tar.next()) != null) {
            if (++count > limits.maxEntries()) {
                throw new LimitExceededException(label + ": entry '" + DebArIndex.printable(e.getName()) + "'",
                        tar.entryOffset(), "entry count", count, limits.maxEntries());
            }
            DebDataEntry.Type type = type(tar, e);
            if (type == DebDataEntry.Type.FILE && e.getSize() > limits.maxEntrySize()) {
                throw new LimitExceededException(label + ": entry '" + DebArIndex.printable(e.getName()) + "'",
                        tar.entryOffset(), "declared size", e.getSize(), limits.maxEntrySize());
            }
            String linkTarget = place(resolver, tar, e, type);
            DebDataEntry entry = new DebDataEntry(path(tar, e), type, e.getMode() & 07777, e.getLongUserId(),
                    e.getLongGroupId(), e.getUserName(), e.getGroupName(), type == DebDataEntry.Type.FILE ? e.getSize() : 0,
                    e.getModTime().getTime() / 1000, linkTarget, e.getDevMajor(), e.getDevMinor(), tar.entryOffset());
            InputStream content = type == DebDataEntry.Type.FILE ? tar.content(e) : InputStream.nullInputStream();
            visitor.entry(entry, content);
        }
    }

    private static DebDataEntry.Type type(DebTarStream tar, TarArchiveEntry e) throws DebFormatException {
        if (e.isSymbolicLink()) {
            return DebDataEntry.Type.SYMLINK;
        }
        if (e.isLink()) {
            return DebDataEntry.Type.HARDLINK;
        }
        if (e.isDirectory()) {
            return DebDataEntry.Type.DIRECTORY;
        }
        if (e.isCharacterDevice()) {
            return DebDataEntry.Type.CHARACTER_DEVICE;
        }
        if (e.isBlockDevice()) {
            return DebDataEntry.Type.BLOCK_DEVICE;
        }
        if (e.isFIFO()) {
            return DebDataEntry.Type.FIFO;
        }
        if (e.isFile() && !e.isSparse()) {
            return DebDataEntry.Type.FILE;
        }
        throw tar.refuse(e.getName(), "unsupported tar entry type '" + (char) e.getLinkFlag()
                + "'; dpkg unpacks only files, directories, links, devices and fifos");
    }

    /** Records the entry in the resolver's tree; returns the link target to report. */
    private static String place(EntryPathResolver resolver, DebTarStream tar, TarArchiveEntry e, DebDataEntry.Type type)
            throws DebFormatException {
        Metadata meta = Metadata.of(e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), e.getModTime().getTime() / 1000, 0);
        try {
            EntryPathResolver.Placement placement = resolver.place(bytes(e.getName()));
            ImageNode node = switch (type) {
                case DIRECTORY -> ImageNode.directory(meta);
                case FILE -> ImageNode.file(meta, e.getSize(), null);
                case SYMLINK -> ImageNode.symlink(meta, bytes(e.getLinkName()));
                case HARDLINK -> resolver.linkTarget(bytes(e.getLinkName()));
                case CHARACTER_DEVICE -> ImageNode.special(EntryType.CHAR_DEVICE, meta, e.getDevMajor(), e.getDevMinor());
                case BLOCK_DEVICE -> ImageNode.special(EntryType.BLOCK_DEVICE, meta, e.getDevMajor(), e.getDevMinor());
                case FIFO -> ImageNode.special(EntryType.FIFO, meta, 0, 0);
            };
            resolver.put(placement, node);
            return switch (type) {
                case SYMLINK -> e.getLinkName();
                case HARDLINK -> joined(EntryPathResolver.normalize(bytes(e.getLinkName())));
                default -> "";
            };
        } catch (EntryPathException x) {
            throw tar.refuse(e.getName(), x.getMessage());
        }
    }

    private static String path(DebTarStream tar, TarArchiveEntry e) throws DebFormatException {
        try {
            return joined(EntryPathResolver.normalize(bytes(e.getName())));
        } catch (EntryPathException x) {
            throw tar.refuse(e.getName(), x.getMessage());
        }
    }

    private static String joined(java.util.List<byte[]> names) {
        StringBuilder out = new StringBuilder();
        for (byte[] n : names) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(new String(n, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
