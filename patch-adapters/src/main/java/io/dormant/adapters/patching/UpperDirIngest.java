package io.dormant.adapters.patching;

import io.dormant.adapters.confine.OverlayChange;
import io.dormant.library.posix.Posix;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.Metadata;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Carries what an apply changed in the overlay's upper directory into the workspace: only the
 * changed paths are read, parents before children; whiteouts become deletions, and files that
 * share an inode stay one hardlink group. The contents are hashed and stored on every core ahead
 * of the (single-threaded) workspace edits, once per inode.
 */
final class UpperDirIngest {

    /** Named, not "unix:*": that one also looks up the owner's and group's names, twice an NSS lookup per file. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,lastModifiedTime,nlink,dev,ino";

    private final Path upper;
    private final Workspace workspace;
    private final EarlyContents early;
    private final Map<Object, String> inodes = new HashMap<>();
    private final Map<Object, Future<StoredBlob>> contents = new HashMap<>();
    /** Each changed path's lstat, read once ahead of the edits. */
    private final Map<String, Map<String, Object>> stats = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** @param early what was stored while the apply ran, or null */
    UpperDirIngest(Path upper, Workspace workspace, EarlyContents early) {
        this.upper = upper;
        this.workspace = workspace;
        this.early = early;
    }

    List<String> apply(List<OverlayChange> changes) throws IOException {
        List<OverlayChange> ordered = new ArrayList<>(changes);
        ordered.sort(Comparator.comparing(OverlayChange::path));
        ExecutorService hashing = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), runnable -> {
            Thread thread = new Thread(runnable, "ingest");
            thread.setDaemon(true);
            return thread;
        });
        try {
            storeContents(ordered, hashing);
            edit(ordered);
        } finally {
            hashing.shutdownNow();
        }
        return warnings;
    }

    /** Starts storing the content of every changed regular file, in the order the edits will want them. */
    private void storeContents(List<OverlayChange> ordered, ExecutorService hashing) throws IOException {
        for (OverlayChange change : ordered) {
            if (change.kind() == OverlayChange.Kind.DELETED) {
                continue;
            }
            Path host = upper.resolve(change.path().substring(1));
            Map<String, Object> stat = Files.readAttributes(host, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            stats.put(change.path(), stat);
            if ((((Integer) stat.get("mode")) & S_IFMT) == S_IFREG) {
                StoredBlob stored = early == null ? null : early.storedAs(change.path(), EarlyContents.lstat(host));
                contents.computeIfAbsent(inode(stat), inode -> stored != null ? CompletableFuture.completedFuture(stored)
                        : hashing.submit(() -> workspace.store(host)));
            }
        }
    }

    private static Object inode(Map<String, Object> stat) {
        return List.of(stat.get("dev"), stat.get("ino"));
    }

    private void edit(List<OverlayChange> ordered) throws IOException {
        for (OverlayChange change : ordered) {
            switch (change.kind()) {
                case DELETED -> {
                    if (workspace.exists(change.path())) {
                        workspace.deleteRecursive(change.path());
                    }
                }
                case OPAQUE_DIR -> {
                    if (workspace.exists(change.path())) {
                        workspace.deleteRecursive(change.path());
                    }
                    copy(change.path());
                }
                case ADDED_OR_CHANGED -> copy(change.path());
            }
        }
    }

    private void copy(String imagePath) throws IOException {
        Path host = upper.resolve(imagePath.substring(1));
        Map<String, Object> stat = stats.get(imagePath);
        Metadata meta = metadata(host, stat);
        int type = ((Integer) stat.get("mode")) & S_IFMT;
        if (type == S_IFREG) {
            Object inode = inode(stat);
            String firstLink = ((Integer) stat.get("nlink")) > 1 ? inodes.putIfAbsent(inode, imagePath) : null;
            if (firstLink == null) {
                workspace.replaceWithFile(imagePath, stored(contents.get(inode), imagePath), meta);
                return;
            }
            if (workspace.exists(imagePath)) {
                workspace.deleteRecursive(imagePath);
            }
            workspace.hardlink(imagePath, firstLink);
            return;
        }
        boolean present = workspace.exists(imagePath);
        if (type == S_IFDIR) {
            if (present && workspace.lstat(imagePath).type().name().equals("DIRECTORY")) {
                workspace.chown(imagePath, meta.uid(), meta.gid());
                workspace.chmod(imagePath, meta.mode());
                workspace.setMtime(imagePath, meta.mtimeSeconds(), meta.mtimeNanos());
                for (Map.Entry<String, byte[]> xattr : meta.xattrs().entrySet()) {
                    workspace.setXattr(imagePath, xattr.getKey(), xattr.getValue());
                }
            } else {
                replaceWithDirectory(imagePath, present, meta);
            }
            return;
        }
        if (present) {
            workspace.deleteRecursive(imagePath);
        }
        if (type == S_IFLNK) {
            workspace.symlink(imagePath, Files.readSymbolicLink(host).toString(), meta);
        } else {
            warnings.add("not carried into the image (special file): " + imagePath);
        }
    }

    private static StoredBlob stored(Future<StoredBlob> content, String imagePath) throws IOException {
        if (content == null) {
            throw new IOException("the apply changed " + imagePath + " while its changes were being recorded");
        }
        return Awaited.result(content, "storing " + imagePath);
    }

    private void replaceWithDirectory(String imagePath, boolean present, Metadata meta) throws IOException {
        if (present) {
            workspace.deleteRecursive(imagePath);
        }
        workspace.mkdir(imagePath, meta);
    }

    private static Metadata metadata(Path host, Map<String, Object> stat) throws IOException {
        FileTime mtime = (FileTime) stat.get("lastModifiedTime");
        long nanos = mtime.to(TimeUnit.NANOSECONDS);
        return new Metadata(((Integer) stat.get("mode")) & 07777, ((Integer) stat.get("uid")).longValue(),
                ((Integer) stat.get("gid")).longValue(), Math.floorDiv(nanos, 1_000_000_000L),
                (int) Math.floorMod(nanos, 1_000_000_000L), imageXattrs(host));
    }

    /** The overlay keeps its own bookkeeping in trusted.overlay.* xattrs of the upper files; not the image's. */
    private static java.util.SortedMap<String, byte[]> imageXattrs(Path host) throws IOException {
        java.util.SortedMap<String, byte[]> xattrs = new java.util.TreeMap<>(Posix.listXattrs(host));
        xattrs.keySet().removeIf(name -> name.startsWith("trusted.overlay."));
        return xattrs;
    }
}
