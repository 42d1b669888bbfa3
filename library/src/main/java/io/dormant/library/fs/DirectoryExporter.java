package io.dormant.library.fs;

import io.dormant.library.posix.HostPaths;
import io.dormant.library.posix.Posix;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Paths;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Materializes a tree into an empty host directory exactly: content, type, all 12 mode bits,
 * numeric owner, xattrs (capabilities and ACLs included), device numbers, hardlink groups and
 * nanosecond mtimes on everything, symlinks and directories included.
 *
 * <p>Every entry is created by name inside a directory this exporter created itself, so no path
 * it writes through can be an image symlink. Per entry the order is: create, chown (which clears
 * setuid and capabilities), chmod, xattrs, mtime. Hardlinks come after all files, and directory
 * attributes last, deepest first, so that nothing touches a directory after its mtime is set.
 */
public final class DirectoryExporter {
    /** The overlay's own xattrs: in a checkout with stubs, an image's would steer the overlay to other objects. */
    static final String OVERLAY_XATTRS = "trusted.overlay.";
    static final String METACOPY = "trusted.overlay.metacopy";
    static final String REDIRECT = "trusted.overlay.redirect";

    private final ObjectStore store;
    private final int threads;
    /** Where stubs point to, or null to write every file whole. */
    private final Path dataLayer;

    public DirectoryExporter(ObjectStore store) {
        this(store, null);
    }

    private DirectoryExporter(ObjectStore store, Path dataLayer) {
        this.store = store;
        this.threads = Runtime.getRuntime().availableProcessors();
        this.dataLayer = dataLayer;
    }

    /**
     * An exporter for the lower layer of an overlay that reads large files' data from the store:
     * a file whose object is a file of its own under {@code objectsDir} is written as a stub, an
     * empty sparse file of the right size and metadata whose overlay xattrs name that object (an
     * overlayfs "metacopy" file redirected to a data-only lower layer, Linux 6.5 and later). The
     * overlay must be mounted with {@code objectsDir} as its data-only layer. Such a checkout
     * writes the metadata and the small files only: for a Debian image, a third of its bytes. The
     * image's own {@code trusted.overlay.*} xattrs are left out, as they would steer the overlay.
     */
    public static DirectoryExporter withStubs(ObjectStore store, Path objectsDir) {
        return new DirectoryExporter(store, objectsDir.toAbsolutePath().normalize());
    }

    public ExportResult export(ObjectId root, Path target, Progress progress) throws IOException {
        return export(root, target, progress, null);
    }

    /**
     * Exports and, when {@code record} is given, records the stat of every file written in it, so
     * that a later import of the same directory rehashes only files changed since.
     */
    public ExportResult export(ObjectId root, Path target, Progress progress, StatCache record) throws IOException {
        long start = System.nanoTime();
        prepareTarget(target);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dormant-export");
            t.setDaemon(true);
            return t;
        });
        Run run = new Run(progress, pool);
        try {
            Tree rootTree = Trees.load(store, root);
            List<Runnable> dirAttributes = new ArrayList<>();
            run.directory(rootTree, target, new byte[0], dirAttributes);
            run.await();
            run.hardlinks();
            for (int i = dirAttributes.size() - 1; i >= 0; i--) {
                dirAttributes.get(i).run();
            }
            apply(target, kept(rootTree.self()), true);
            if (record != null) {
                run.recordStats(record);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Pools.stop(pool);
        }
        return new ExportResult(run.files, run.directories + 1, run.others, run.bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void prepareTarget(Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            throw new IOException("export target " + target + " is a symlink; give a real, empty directory");
        }
        if (!Files.exists(target)) {
            Files.createDirectories(target);
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target)) {
            if (s.iterator().hasNext()) {
                throw new IOException("export target " + target + " is not empty");
            }
        }
    }

    /** chown, chmod, xattrs, mtime: in this order, because chown clears setuid and capabilities. */
    static void apply(Path p, Metadata m, boolean chmod) throws IOException {
        Posix.lchown(p, m.uid(), m.gid());
        if (chmod) {
            Posix.chmod(p, m.mode());
        }
        for (Map.Entry<String, byte[]> x : m.xattrs().entrySet()) {
            Posix.setXattr(p, x.getKey(), x.getValue());
        }
        Posix.setMtime(p, m.mtimeSeconds(), m.mtimeNanos());
    }

    private static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException e) {
            super(e);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** One export: the host paths written so far and the work still pending. */
    private final class Run {
        private final Progress progress;
        private final ExecutorService pool;
        private final List<Future<?>> pending = new ArrayList<>();
        private final Map<String, Path> firstPlaces = new HashMap<>();
        private final List<Link> links = new ArrayList<>();
        private final List<Object[]> written = new ArrayList<>();
        private final Map<String, ObjectId> blobs = new HashMap<>();
        private long files;
        private long directories;
        private long others;
        private long bytes;

        Run(Progress progress, ExecutorService pool) {
            this.progress = progress;
            this.pool = pool;
        }

        void directory(Tree tree, Path dir, byte[] dirPath, List<Runnable> dirAttributes) throws IOException {
            for (TreeEntry e : tree.entries()) {
                Path p = HostPaths.child(dir, e.name());
                byte[] path = Paths.join(dirPath, e.name());
                switch (e.type()) {
                    case DIRECTORY -> {
                        Tree sub = Trees.load(store, e.child());
                        Files.createDirectory(p);
                        directories++;
                        directory(sub, p, path, dirAttributes);
                        dirAttributes.add(() -> {
                            try {
                                apply(p, kept(sub.self()), true);
                            } catch (IOException ex) {
                                throw new UncheckedIOException(ex);
                            }
                        });
                    }
                    case FILE -> {
                        files++;
                        bytes += e.size();
                        remember(path, p);
                        blobs.put(new String(path, StandardCharsets.ISO_8859_1), e.child());
                        written.add(new Object[] {path, p, e.child()});
                        pending.add(pool.submit(() -> {
                            writeFile(e, p);
                            return null;
                        }));
                    }
                    case HARDLINK -> links.add(new Link(p, path, new String(e.target(), StandardCharsets.ISO_8859_1)));
                    case SYMLINK -> {
                        others++;
                        remember(path, p);
                        Posix.symlink(e.target(), p);
                        apply(p, kept(e.meta()), false);
                        progress.advance(1, 0);
                    }
                    default -> {
                        others++;
                        remember(path, p);
                        Posix.mknod(p, typeBits(e.type()), 0, e.devMajor(), e.devMinor());
                        apply(p, kept(e.meta()), true);
                        progress.advance(1, 0);
                    }
                }
            }
        }

        private void remember(byte[] imagePath, Path host) {
            firstPlaces.put(new String(imagePath, StandardCharsets.ISO_8859_1), host);
        }

        private void writeFile(TreeEntry e, Path p) throws IOException {
            Path object = dataLayer == null ? null : ownFile(e);
            try (FileChannel out = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                if (object == null) {
                    store.transferTo(e.child(), out);
                }
            }
            if (object != null) {
                writeStub(p, e.size(), "/" + dataLayer.relativize(object));
            }
            apply(p, kept(e.meta()), true);
            progress.advance(1, e.size());
        }

        /** The object's own file in the data layer, or null when it is in a pack (small files). */
        private Path ownFile(TreeEntry e) throws IOException {
            if (e.size() <= ContentStore.PACK_LIMIT) {
                return null;
            }
            try {
                Path object = store.pathOf(e.child()).toAbsolutePath().normalize();
                return object.startsWith(dataLayer) ? object : null;
            } catch (IOException packed) {
                return null;
            }
        }

        void await() throws IOException {
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("export interrupted", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("writing a file failed: " + e.getCause(), e.getCause());
                }
            }
        }

        /** Links every later member of a group to its first place, which exists by now. */
        void hardlinks() throws IOException {
            for (Link l : links) {
                Path first = firstPlaces.get(l.firstPath());
                if (first == null) {
                    throw new IOException("hardlink " + l.host() + " names /" + l.firstPath() + ", which is not an earlier file of the image");
                }
                Files.createLink(l.host(), first);
                ObjectId blob = blobs.get(l.firstPath());
                if (blob != null) {
                    // An importer may meet any name of the group first, so every name is recorded.
                    written.add(new Object[] {l.imagePath(), l.host(), blob});
                }
                progress.advance(1, 0);
            }
        }

        /**
         * Records the stat of every file written. The pause afterwards moves the clock past the
         * file system's timestamp granularity, so any later change to a file gives it a ctime
         * different from the one recorded here (git's "racily clean" problem).
         */
        void recordStats(StatCache cache) throws IOException {
            for (Object[] w : written) {
                cache.record((byte[]) w[0], HostStat.of((Path) w[1]), (ObjectId) w[2], Long.MAX_VALUE);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private record Link(Path host, byte[] imagePath, String firstPath) {
    }

    /** A sparse file of {@code size} bytes that an overlay reads from {@code redirect} in its data-only layer. */
    private static void writeStub(Path p, long size, String redirect) throws IOException {
        try (java.io.RandomAccessFile stub = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            stub.setLength(size); // ftruncate: no data blocks
        }
        Posix.setXattr(p, METACOPY, new byte[0]);
        Posix.setXattr(p, REDIRECT, redirect.getBytes(StandardCharsets.UTF_8));
    }

    /** The metadata to write: in a checkout with stubs, without the image's overlay xattrs. */
    private Metadata kept(Metadata m) {
        if (dataLayer == null || m.xattrs().keySet().stream().noneMatch(name -> name.startsWith(OVERLAY_XATTRS))) {
            return m;
        }
        java.util.SortedMap<String, byte[]> xattrs = new java.util.TreeMap<>(m.xattrs());
        xattrs.keySet().removeIf(name -> name.startsWith(OVERLAY_XATTRS));
        return m.withXattrs(xattrs);
    }

    static int typeBits(EntryType type) {
        return switch (type) {
            case CHAR_DEVICE -> Posix.S_IFCHR;
            case BLOCK_DEVICE -> Posix.S_IFBLK;
            case FIFO -> Posix.S_IFIFO;
            case SOCKET -> Posix.S_IFSOCK;
            default -> throw new IllegalArgumentException(type + " is not made by mknod");
        };
    }
}
