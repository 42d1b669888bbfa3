package io.dormant.library.workspace;

import io.dormant.library.diff.TreeDiff;
import io.dormant.library.fs.DirectoryExporter;
import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.fs.ExportResult;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.fs.StatCache;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Names;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.workspace.PathWalker.Located;
import io.dormant.library.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A copy-on-write view of a version being changed. Opening is O(1): nothing is read until a path
 * is visited. Reads stream blobs from the store; writes stage new blobs in a private staging
 * area; a delete drops the name from the staged directory (the base tree is untouched, so this is
 * a whiteout); {@link #commit()} writes only the directories that changed, up to the root.
 *
 * <p>Every path is an image path resolved inside the image by {@link PathWalker}; no operation
 * here touches a host path except {@link #materialize} and {@link #ingest}, which go through the
 * exporter and importer. Not thread-safe: one workspace belongs to one patch run.
 */
public final class Workspace {
    private static final Metadata NEW_FILE = Metadata.of(0644, 0, 0, 0, 0);

    private final ContentStore store;
    private final StagingStore staged;
    private final PathWalker walker;
    private ObjectId base;
    private DirState root;
    private LinkGroups groups;
    private StatCache materializedStats;
    private ObjectId materializedRoot;

    private Workspace(ContentStore store, ObjectId base, StagingStore staged) {
        this.store = store;
        this.staged = staged;
        this.walker = new PathWalker(staged);
        this.base = base;
        rebase(base);
    }

    /** Opens a workspace on a root tree; reads nothing yet. */
    public static Workspace open(ContentStore store, ObjectId root) {
        return new Workspace(store, root, new StagingStore(store));
    }

    /**
     * Opens a workspace that stages its writes under {@code stagingParent} instead of the store's
     * own staging directory: a patch apply puts them in its scratch in memory, so that what it
     * writes reaches the store's disk once, at check-in, and a discarded apply costs no disk work.
     */
    public static Workspace open(ContentStore store, ObjectId root, Path stagingParent) {
        return new Workspace(store, root, new StagingStore(store, stagingParent));
    }

    /** Makes {@code id} the current, unchanged state (base stays what discard returns to). */
    private void rebase(ObjectId id) {
        root = new DirState(null, id);
        groups = new LinkGroups(root, staged);
    }

    /** The root tree this workspace started from, or was last committed to; discard returns here. */
    public ObjectId base() {
        return base;
    }

    public boolean isDirty() {
        return root.isDirty();
    }

    // ---- reading ----

    /** The content of a file, following symlinks inside the image. */
    public InputStream read(String path) throws IOException {
        TreeEntry e = inode(existing(path, true), path);
        if (e.type() != EntryType.FILE) {
            throw new WorkspaceException(e.type() == EntryType.DIRECTORY ? Reason.IS_A_DIRECTORY : Reason.INVALID, path,
                    "is a " + e.type().name().toLowerCase() + ", not a file");
        }
        return staged.open(e.child());
    }

    public byte[] readAllBytes(String path) throws IOException {
        try (InputStream in = read(path)) {
            return in.readAllBytes();
        }
    }

    /** stat(2): follows a final symlink. */
    public Stat stat(String path) throws IOException {
        return statOf(existing(path, true), path);
    }

    /** lstat(2): describes a final symlink itself. */
    public Stat lstat(String path) throws IOException {
        return statOf(existing(path, false), path);
    }

    public boolean exists(String path) throws IOException {
        try {
            return walker.locate(root, path, false).exists();
        } catch (WorkspaceException e) {
            if (e.reason() == Reason.NO_SUCH_ENTRY || e.reason() == Reason.NOT_A_DIRECTORY) {
                return false;
            }
            throw e;
        }
    }

    /** The entries of a directory, sorted by name. */
    public List<TreeEntry> list(String path) throws IOException {
        return walker.directory(root, path).list(staged);
    }

    // ---- writing ----

    /** Writes a file's content; an existing file keeps its metadata and gets the current time. */
    public void write(String path, InputStream content) throws IOException {
        Located l = walker.locate(root, path, true);
        Metadata meta = l.exists() && l.entry() != null ? inode(l, path).meta() : null;
        Instant now = Instant.now();
        Metadata m = (meta == null ? NEW_FILE : meta).withMtime(now.getEpochSecond(), now.getNano());
        write(l, path, content, m);
    }

    /** Writes a file with exactly this metadata (as a package payload dictates). */
    public void write(String path, InputStream content, Metadata meta) throws IOException {
        write(walker.locate(root, path, true), path, content, meta);
    }

    private void write(Located l, String path, InputStream content, Metadata meta) throws IOException {
        refuseDirectory(l, path);
        place(l, path, staged.putBlob(content), meta);
    }

    private static void refuseDirectory(Located l, String path) throws WorkspaceException {
        if (l.isRoot() || (l.entry() != null && l.entry().type() == EntryType.DIRECTORY)) {
            throw new WorkspaceException(Reason.IS_A_DIRECTORY, path, "is a directory");
        }
    }

    private void place(Located l, String path, StoredBlob blob, Metadata meta) throws IOException {
        if (l.entry() != null && l.entry().type() == EntryType.HARDLINK) {
            // All names of a group share one inode: the content goes to the first name.
            byte[] first = l.entry().target();
            groups.exactParent(first).put(staged, TreeEntry.file(LinkGroups.last(first), meta, blob.size(), blob.id()));
            return;
        }
        if (l.entry() != null && l.entry().type() != EntryType.FILE) {
            groups.remove(l);
            l = walker.locate(root, path, true);
        }
        l.dir().put(staged, TreeEntry.file(l.name(), meta, blob.size(), blob.id()));
    }

    /**
     * Stores a host file's content where this workspace stages its writes, without placing it
     * anywhere yet ({@link #write(String, StoredBlob, Metadata)} does). The one workspace method
     * that may run on several threads at once: hashing and storing is the slow part of carrying
     * many files in, and the files do not depend on each other.
     */
    public StoredBlob store(Path hostFile) throws IOException {
        return staged.putBlob(hostFile);
    }

    /**
     * Puts a new file, whose content {@link #store} has stored, at {@code path} in place of
     * whatever is there, as removing it and then writing would: a subtree goes, and a name that
     * was in a hardlink group leaves the group. One walk to the path where those take three.
     */
    public void replaceWithFile(String path, StoredBlob blob, Metadata meta) throws IOException {
        Located l = walker.locate(root, path, false);
        if (l.isRoot()) {
            throw new WorkspaceException(Reason.INVALID, path, "the image root cannot be replaced");
        }
        if (l.entry() != null && (l.entry().type() != EntryType.FILE || !groups.links().linksOf(l.path()).isEmpty())) {
            groups.remove(l);
            l = walker.locate(root, path, false);
        }
        l.dir().put(staged, TreeEntry.file(l.name(), meta, blob.size(), blob.id()));
    }

    /** Writes a file whose content {@link #store} has stored, with exactly this metadata. */
    public void write(String path, StoredBlob blob, Metadata meta) throws IOException {
        Located l = walker.locate(root, path, true);
        refuseDirectory(l, path);
        place(l, path, blob, meta);
    }

    public void mkdir(String path, Metadata meta) throws IOException {
        Located l = absent(path);
        l.dir().adopt(staged, l.name(), DirState.created(l.dir(), meta));
    }

    public void mkdir(String path, int mode) throws IOException {
        Instant now = Instant.now();
        mkdir(path, Metadata.of(mode, 0, 0, now.getEpochSecond(), now.getNano()));
    }

    public void symlink(String path, String target, Metadata meta) throws IOException {
        Located l = absent(path);
        l.dir().put(staged, TreeEntry.symlink(l.name(), meta, target.getBytes(StandardCharsets.UTF_8)));
    }

    public void symlink(String path, String target) throws IOException {
        Instant now = Instant.now();
        symlink(path, target, Metadata.of(0777, 0, 0, now.getEpochSecond(), now.getNano()));
    }

    /** link(2): a new name for an existing non-directory (a final symlink is linked, not followed). */
    public void hardlink(String path, String existing) throws IOException {
        Located from = existing(existing, false);
        if (from.isRoot() || from.entry().type() == EntryType.DIRECTORY) {
            throw new WorkspaceException(Reason.IS_A_DIRECTORY, existing, "is a directory; directories cannot be hardlinked");
        }
        groups.link(from, absent(path));
    }

    /** chmod(2): follows a final symlink, as Linux has no lchmod. */
    public void chmod(String path, int mode) throws IOException {
        updateMeta(path, true, m -> m.withMode(mode));
    }

    /** lchown(2). */
    public void chown(String path, long uid, long gid) throws IOException {
        updateMeta(path, false, m -> m.withOwner(uid, gid));
    }

    /** lsetxattr(2), any namespace (security.capability, system.posix_acl_access, user.*). */
    public void setXattr(String path, String name, byte[] value) throws IOException {
        updateMeta(path, false, m -> {
            SortedMap<String, byte[]> x = new TreeMap<>(m.xattrs());
            x.put(name, value.clone());
            return m.withXattrs(x);
        });
    }

    public void removeXattr(String path, String name) throws IOException {
        updateMeta(path, false, m -> {
            SortedMap<String, byte[]> x = new TreeMap<>(m.xattrs());
            if (x.remove(name) == null) {
                throw new WorkspaceException(Reason.NO_SUCH_ENTRY, path, "has no xattr " + name);
            }
            return m.withXattrs(x);
        });
    }

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW. */
    public void setMtime(String path, long seconds, int nanos) throws IOException {
        updateMeta(path, false, m -> m.withMtime(seconds, nanos));
    }

    /** Removes a file, link, special file or empty directory (not following a final symlink). */
    public void delete(String path) throws IOException {
        Located l = existing(path, false);
        if (l.isRoot()) {
            throw new WorkspaceException(Reason.INVALID, path, "the image root cannot be deleted");
        }
        if (l.entry().type() == EntryType.DIRECTORY && !l.dir().subdir(staged, l.name()).isEmpty(staged)) {
            throw new WorkspaceException(Reason.NOT_EMPTY, path, "directory is not empty");
        }
        groups.remove(l);
    }

    /** Removes a path and everything under it. */
    public void deleteRecursive(String path) throws IOException {
        Located l = existing(path, false);
        if (l.isRoot()) {
            throw new WorkspaceException(Reason.INVALID, path, "the image root cannot be deleted");
        }
        groups.remove(l);
    }

    /** rename(2): replaces a non-directory or an empty directory at the destination. */
    public void rename(String from, String to) throws IOException {
        Located src = existing(from, false);
        if (src.isRoot()) {
            throw new WorkspaceException(Reason.INVALID, from, "the image root cannot be renamed");
        }
        Located dst = walker.locate(root, to, false);
        if (dst.isRoot() || Hardlinks.under(dst.path(), src.path())) {
            throw new WorkspaceException(Reason.INVALID, to, "cannot move " + from + " into itself");
        }
        boolean srcDir = src.entry().type() == EntryType.DIRECTORY;
        if (dst.entry() != null) {
            boolean dstDir = dst.entry().type() == EntryType.DIRECTORY;
            if (srcDir != dstDir) {
                throw new WorkspaceException(dstDir ? Reason.IS_A_DIRECTORY : Reason.NOT_A_DIRECTORY, to,
                        dstDir ? "is a directory" : "is not a directory");
            }
            if (dstDir && !dst.dir().subdir(staged, dst.name()).isEmpty(staged)) {
                throw new WorkspaceException(Reason.NOT_EMPTY, to, "directory is not empty");
            }
            groups.remove(dst);
            src = existing(from, false);
            dst = walker.locate(root, to, false);
        }
        groups.move(src, dst);
    }

    // ---- check-in, discard, host round trip ----

    /**
     * Writes the changed trees, moves every staged object into the store and makes it durable;
     * returns the new root id. After it returns, a catalogue row may name the id.
     */
    public ObjectId commit() throws IOException {
        ObjectId id = root.write(staged, new long[1]);
        staged.publish();
        base = id;
        rebase(id);
        return id;
    }

    /** Drops every change and every staged object; the workspace is back at its base. */
    public void discard() throws IOException {
        staged.drop();
        materializedStats = null;
        rebase(base);
    }

    /**
     * Writes the current state into an empty host directory (through the exporter) and remembers
     * the stat of every file, so that {@link #ingest} rehashes only what changed there.
     */
    public ExportResult materialize(Path dir, Progress progress) throws IOException {
        ObjectId id = root.write(staged, new long[1]);
        rebase(id);
        StatCache stats = new StatCache();
        ExportResult r = new DirectoryExporter(staged).export(id, dir, progress, stats);
        materializedStats = stats;
        materializedRoot = id;
        return r;
    }

    /**
     * Takes the state of a materialized directory (after a script ran in it) as the workspace's
     * new state; files whose stat did not change are not read. Returns what changed.
     */
    public IngestResult ingest(Path dir, Progress progress) throws IOException {
        if (materializedStats == null) {
            throw new WorkspaceException(Reason.INVALID, dir.toString(), "was not materialized from this workspace");
        }
        ObjectId before = materializedRoot;
        ImportResult r = new DirectoryImporter(staged, null).importDirectory(dir, materializedStats, new StatCache(), progress);
        rebase(r.root());
        return new IngestResult(r, new TreeDiff(staged).diff(before, r.root()));
    }

    // ---- internals ----

    private interface MetaChange {
        Metadata apply(Metadata m) throws IOException;
    }

    private void updateMeta(String path, boolean follow, MetaChange change) throws IOException {
        Located l = existing(path, follow);
        if (l.isRoot()) {
            root.setSelf(change.apply(root.self(staged)));
            return;
        }
        TreeEntry e = l.entry();
        switch (e.type()) {
            case DIRECTORY -> {
                DirState d = l.dir().subdir(staged, l.name());
                d.setSelf(change.apply(d.self(staged)));
            }
            case HARDLINK -> {
                TreeEntry inode = groups.entryAt(e.target());
                groups.exactParent(e.target()).put(staged, inode.withMeta(change.apply(inode.meta())));
            }
            default -> l.dir().put(staged, e.withMeta(change.apply(e.meta())));
        }
    }

    private Stat statOf(Located l, String path) throws IOException {
        if (l.isRoot()) {
            return new Stat(EntryType.DIRECTORY, root.self(staged), 0, null, 0, 0, null);
        }
        TreeEntry e = inode(l, path);
        if (e.type() == EntryType.DIRECTORY) {
            return new Stat(EntryType.DIRECTORY, l.dir().subdir(staged, l.name()).self(staged), 0, null, 0, 0, e.child());
        }
        return new Stat(e.type(), e.meta(), e.size(), e.target(), e.devMajor(), e.devMinor(), e.child());
    }

    /** The entry holding the inode data: the entry itself, or the first name of its hardlink group. */
    private TreeEntry inode(Located l, String path) throws IOException {
        if (l.entry() != null && l.entry().type() == EntryType.HARDLINK) {
            return groups.entryAt(l.entry().target());
        }
        return l.entry();
    }

    private Located existing(String path, boolean follow) throws IOException {
        Located l = walker.locate(root, path, follow);
        if (!l.exists()) {
            String resolved = Paths.display(l.path());
            boolean same = resolved.equals(Paths.display(Paths.of(path.replaceAll("^/+", "").replaceAll("/+$", ""))));
            throw new WorkspaceException(Reason.NO_SUCH_ENTRY, path, same ? "does not exist" : "'" + resolved + "' does not exist");
        }
        return l;
    }

    private Located absent(String path) throws IOException {
        Located l = walker.locate(root, path, false);
        if (l.exists()) {
            throw new WorkspaceException(Reason.EXISTS, path, "already exists");
        }
        String problem = Names.problem(l.name());
        if (problem != null) {
            throw new WorkspaceException(Reason.INVALID, path, problem);
        }
        return l;
    }
}
