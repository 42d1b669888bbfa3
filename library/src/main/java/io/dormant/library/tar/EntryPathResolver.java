package io.dormant.library.tar;

import io.dormant.library.tar.EntryPathException.Problem;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Names;
import io.dormant.library.tree.Paths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where an archive entry name becomes a place in the image being built. Every name
 * goes through here before any of its bytes are stored. It accepts relative names (a leading "./"
 * is dropped, as tar of "." writes it) and refuses absolute names, ".." components, NUL bytes,
 * names under an earlier symlink entry (entry {@code a -> /etc} then {@code a/passwd}), and
 * hardlinks to anything that is not an earlier non-directory entry of the same archive.
 *
 * <p>It works on the in-memory image only; nothing here touches the host file system.
 */
public final class EntryPathResolver {
    /** Metadata of a directory that an archive implies (a/b without a/) but never lists. */
    public static final Metadata IMPLIED_DIRECTORY = Metadata.of(0755, 0, 0, 0, 0);

    private final ImageNode root;

    public EntryPathResolver(ImageNode root) {
        this.root = root;
    }

    /** Where an entry goes: its parent directory and name; the root itself has a null parent. */
    public record Placement(ImageNode parent, byte[] name, byte[] path) {
        public boolean isRoot() {
            return parent == null;
        }
    }

    /** The names of a relative entry path, or an exception saying why it is refused. */
    public static List<byte[]> normalize(byte[] raw) throws EntryPathException {
        String shown = Printable.of(raw);
        for (byte b : raw) {
            if (b == 0) {
                throw new EntryPathException(Problem.NUL, "refused: the name contains a NUL byte");
            }
        }
        if (raw.length > 0 && raw[0] == '/') {
            throw new EntryPathException(Problem.ABSOLUTE, "refused: absolute name '" + shown + "'; image archives hold relative names");
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] part : Paths.split(raw)) {
            if (part.length == 1 && part[0] == '.') {
                continue;
            }
            if (part.length == 2 && part[0] == '.' && part[1] == '.') {
                throw new EntryPathException(Problem.DOT_DOT, "refused: '..' in the name could leave the image");
            }
            if (part.length > Names.MAX_NAME) {
                throw new EntryPathException(Problem.NAME_TOO_LONG, "refused: a name component is longer than " + Names.MAX_NAME + " bytes");
            }
            out.add(part);
        }
        return out;
    }

    /**
     * Resolves where an entry goes, creating implied parent directories. Refuses a parent that is
     * a symlink or another non-directory entry of the archive.
     */
    public Placement place(byte[] raw) throws EntryPathException {
        List<byte[]> names = normalize(raw);
        if (names.isEmpty()) {
            return new Placement(null, new byte[0], new byte[0]);
        }
        ImageNode dir = root;
        byte[] path = new byte[0];
        for (int i = 0; i < names.size() - 1; i++) {
            byte[] name = names.get(i);
            path = Paths.join(path, name);
            ImageNode next = dir.children().get(name);
            if (next == null) {
                next = ImageNode.directory(IMPLIED_DIRECTORY);
                dir.children().put(name, next);
            } else if (next.type() == EntryType.SYMLINK) {
                throw new EntryPathException(Problem.THROUGH_SYMLINK, "refused: it would be written through the symlink entry '"
                        + new String(path, StandardCharsets.UTF_8) + "' (-> " + new String(next.target(), StandardCharsets.UTF_8) + ")");
            } else if (next.type() != EntryType.DIRECTORY) {
                throw new EntryPathException(Problem.NOT_A_DIRECTORY, "refused: '" + new String(path, StandardCharsets.UTF_8)
                        + "' is a " + next.type().name().toLowerCase() + " entry, not a directory");
            }
            dir = next;
        }
        byte[] last = names.get(names.size() - 1);
        return new Placement(dir, last, Paths.join(path, last));
    }

    /**
     * Puts {@code node} at a placement. A later entry of the same name replaces an earlier one, as
     * extraction would; a directory keeps its children and takes the new metadata.
     */
    public void put(Placement p, ImageNode node) throws EntryPathException {
        if (p.isRoot()) {
            if (node.type() != EntryType.DIRECTORY) {
                throw new EntryPathException(Problem.NOT_A_DIRECTORY, "refused: the image root must be a directory");
            }
            root.setMeta(node.meta());
            return;
        }
        ImageNode existing = p.parent().children().get(p.name());
        if (existing != null && existing.type() == EntryType.DIRECTORY) {
            if (node.type() == EntryType.DIRECTORY) {
                existing.setMeta(node.meta());
                return;
            }
            if (!existing.children().isEmpty()) {
                throw new EntryPathException(Problem.REPLACES_DIRECTORY, "refused: it would replace the non-empty directory '"
                        + new String(p.path(), StandardCharsets.UTF_8) + "'");
            }
        }
        p.parent().children().put(p.name(), node);
    }

    /** The node a hardlink names: an earlier non-directory entry, reached without any symlink. */
    public ImageNode linkTarget(byte[] rawTarget) throws EntryPathException {
        String shown = Printable.of(rawTarget);
        List<byte[]> names;
        try {
            names = normalize(rawTarget);
        } catch (EntryPathException e) {
            throw new EntryPathException(e.problem(), "refused: hardlink to '" + shown + "': "
                    + e.getMessage().substring("refused: ".length()));
        }
        ImageNode node = root;
        for (byte[] name : names) {
            ImageNode next = node.type() == EntryType.DIRECTORY ? node.children().get(name) : null;
            if (next == null) {
                throw new EntryPathException(Problem.HARDLINK_UNKNOWN, "refused: hardlink to '" + shown
                        + "', which is not an earlier entry of the archive");
            }
            if (next.type() == EntryType.SYMLINK && name != names.get(names.size() - 1)) {
                throw new EntryPathException(Problem.THROUGH_SYMLINK, "refused: hardlink to '" + shown + "' goes through a symlink entry");
            }
            node = next;
        }
        if (node.type() == EntryType.DIRECTORY) {
            throw new EntryPathException(Problem.HARDLINK_TO_DIRECTORY, "refused: hardlink to the directory '" + shown + "'");
        }
        return node;
    }
}
