package io.dormant.library.images;

import io.dormant.library.audit.AuditDetails;
import io.dormant.library.audit.AuditTrail;
import io.dormant.library.catalogue.ImageCatalogue;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.ImageNames;
import io.dormant.library.catalogue.InstalledPackage;
import io.dormant.library.catalogue.NewVersion;
import io.dormant.library.catalogue.StagedVersion;
import io.dormant.library.catalogue.StagedVersions;
import io.dormant.library.catalogue.VersionPatches;
import io.dormant.library.catalogue.VersionReason;
import io.dormant.library.store.ObjectId;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.diff.DiffResult;
import io.dormant.library.diff.TreeDiff;
import io.dormant.library.disk.DiskImageException;
import io.dormant.library.disk.DiskImages;
import io.dormant.library.disk.DiskOrigin;
import io.dormant.library.disk.DiskOrigins;
import io.dormant.library.fs.ExportResult;
import io.dormant.library.maintenance.FsckResult;
import io.dormant.library.maintenance.GcResult;
import io.dormant.library.maintenance.StoreFsck;
import io.dormant.library.maintenance.StoreGc;
import io.dormant.library.maintenance.StoreLock;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.dormant.library.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The image library of one {@code DORMANT_HOME}: the content store under {@code store/}, the
 * catalogue in PostgreSQL, and the operations users name (import, export, diff, fsck, gc). The same
 * object serves the command line, the engine and tests.
 */
public final class ImageLibrary {

    private static final java.util.Map<String, Object> CHECKOUTS = new java.util.concurrent.ConcurrentHashMap<>();

    private final ContentStore store;
    private final ImageCatalogue catalogue;
    private final LibraryCache cache;
    private final InventoryReader inventory;
    private final AuditTrail audit;
    private final DiskImages disks;
    private final DiskOrigins diskOrigins;

    private ImageLibrary(ContentStore store, ImageCatalogue catalogue, LibraryCache cache, InventoryReader inventory,
                         DiskImages disks) {
        this.store = store;
        this.catalogue = catalogue;
        this.cache = cache;
        this.inventory = inventory;
        this.audit = new AuditTrail(catalogue.dataSource());
        this.disks = disks;
        this.diskOrigins = new DiskOrigins(catalogue.dataSource());
    }

    /** The same library, reading and writing disk images through {@code disks} (how libguestfs runs here). */
    public ImageLibrary withDiskImages(DiskImages disks) {
        return new ImageLibrary(store, catalogue, cache, inventory, disks);
    }

    public static ImageLibrary open(Path home, DataSource dataSource) {
        return open(home, dataSource, InventoryReader.none());
    }

    /** A library that records each new version's installed packages, read by {@code inventory}. */
    public static ImageLibrary open(Path home, DataSource dataSource, InventoryReader inventory) {
        try {
            return new ImageLibrary(ContentStore.open(home.resolve("store")), new ImageCatalogue(dataSource),
                    LibraryCache.of(home, System.getenv()), inventory, DiskImages.withDefaults());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the content store under " + home + ": " + e.getMessage(), e);
        }
    }

    public AuditTrail audit() {
        return audit;
    }

    public ContentStore store() {
        return store;
    }

    public ImageCatalogue catalogue() {
        return catalogue;
    }

    /**
     * Imports a directory, a tar archive or a disk image as the next version of {@code image}
     * (version 1 of a new image). The version row is written only after the store made every object
     * durable; a failed import leaves at most unreferenced objects, which {@code gc} removes.
     */
    public ImportReport importImage(String image, Path source, String actor, Progress progress) {
        ImageNames.checked(image);
        ImageSource.Bound importer = ImageSource.detect(source);
        try (StoreLock.Lease ignored = StoreLock.of(store.root()).shared()) {
            ImageSource.Imported imported = importer.importInto(new ImageSource.Context(store, cache.dir(), disks), progress);
            List<InstalledPackage> packages = inventory.read(Workspace.open(store, imported.result().root()));
            store.sync();
            ImageVersion version = catalogue.record(NewVersion.imported(image, imported.result().root(), actor,
                    "imported from " + source.toAbsolutePath() + " (" + importer.kind()
                            + imported.disk().map(d -> ", " + d.format().qemuName()).orElse("") + ")"), packages,
                    (connection, id) -> {
                        if (imported.disk().isPresent()) {
                            DiskOrigins.record(connection, id, imported.disk().get());
                        }
                    });
            audit.append(actor, "version.created", "image:" + version.ref(), AuditDetails.of(new java.util.LinkedHashMap<>(
                    java.util.Map.of("reason", "import", "source", source.toAbsolutePath().toString(),
                            "root", version.root().hex(), "files", imported.result().files()))));
            return new ImportReport(version, importer.kind(), imported.result());
        } catch (IOException | DiskImageException e) {
            throw new ImageLibraryException("import of " + source + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a changed workspace in as the next version of the image it was checked out from: the
     * workspace's objects become durable, then the version row and its inventory are written.
     */
    public ImageVersion checkIn(ImageVersion from, Workspace workspace, VersionReason reason, String actor, String summary) {
        try (StoreLock.Lease ignored = StoreLock.of(store.root()).shared()) {
            ObjectId root = workspace.commit();
            List<InstalledPackage> packages = inventory.read(Workspace.open(store, root));
            store.sync();
            ImageVersion created = catalogue.record(NewVersion.derived(from, root, reason, actor, summary), packages);
            audit.append(actor, "version.created", "image:" + created.ref(), AuditDetails.of(new java.util.LinkedHashMap<>(
                    java.util.Map.of("reason", reason.word(), "parent", from.ref(), "root", root.hex(), "summary", summary))));
            return created;
        } catch (IOException e) {
            throw new ImageLibraryException("check-in of a new version of " + from.ref() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a changed workspace durable as a staged version of the image it was checked out from,
     * without making it a version: the step before an approval. gc keeps a staged result's objects
     * until it is checked in or dropped.
     */
    public StagedVersion stage(ImageVersion from, Workspace workspace, VersionReason reason, String actor, String summary) {
        try (StoreLock.Lease ignored = StoreLock.of(store.root()).shared()) {
            ObjectId root = workspace.commit();
            store.sync();
            StagedVersion staged = staged().stage(from, root, reason, actor, summary);
            audit.append(actor, "version.staged", "image:" + from.ref(), AuditDetails.of(new java.util.LinkedHashMap<>(
                    java.util.Map.of("staged", staged.id(), "parent", from.ref(), "root", root.hex(), "summary", summary))));
            return staged;
        } catch (IOException e) {
            throw new ImageLibraryException("staging a new version of " + from.ref() + " failed: " + e.getMessage(), e);
        }
    }

    /** Turns a staged result into the next version of its image (once; a second call fails). */
    public ImageVersion checkIn(StagedVersion staged, String actor) {
        try (StoreLock.Lease ignored = StoreLock.of(store.root()).shared()) {
            List<InstalledPackage> packages = inventory.read(Workspace.open(store, staged.root()));
            ImageVersion created = staged().checkIn(staged, actor, packages);
            audit.append(actor, "version.created", "image:" + created.ref(), AuditDetails.of(new java.util.LinkedHashMap<>(
                    java.util.Map.of("reason", staged.reason().word(), "parent", staged.parentRef(), "root", staged.root().hex(),
                            "staged", staged.id(), "summary", staged.summary()))));
            return created;
        } catch (IOException e) {
            throw new ImageLibraryException("check-in of staged version " + staged.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops a staged result (a rejection); the source version was never touched. */
    public void drop(StagedVersion staged, String actor, String why) {
        if (staged().drop(staged.id())) {
            audit.append(actor, "version.dropped", "image:" + staged.parentRef(), AuditDetails.of(new java.util.LinkedHashMap<>(
                    java.util.Map.of("staged", staged.id(), "parent", staged.parentRef(), "why", why))));
        }
    }

    /** The package files that made a version, in the order they were applied. */
    public VersionPatches patches() {
        return new VersionPatches(catalogue.dataSource());
    }

    public StagedVersions staged() {
        return new StagedVersions(catalogue);
    }

    /**
     * A directory of the library's cache for {@code name}: what can be made again, such as results
     * that adapters remember across applies. Not created here.
     */
    public Path cacheDir(String name) {
        return cache.dir(name);
    }

    /**
     * A read-only directory holding a version's tree, made once and kept where {@link Checkouts}
     * says: the lower layer of the overlays that confined scripts run in. Made beside and renamed
     * into place.
     */
    public Path checkout(ImageVersion version, Progress progress) {
        return checkout(version, progress, false);
    }

    /**
     * Like {@link #checkout(ImageVersion, Progress)}, but the files the store keeps as files of
     * their own are stubs that read their data from {@link #dataLayer()}: the overlay on it must
     * be mounted with that directory as its data-only lower layer (see
     * {@link io.dormant.library.fs.DirectoryExporter#withStubs}). Kept apart from whole checkouts.
     */
    public Path checkoutWithStubs(ImageVersion version, Progress progress) {
        return checkout(version, progress, true);
    }

    /** The data-only lower layer that checkouts with stubs need. */
    public Path dataLayer() {
        return store.objectsDir();
    }

    private Path checkout(ImageVersion version, Progress progress, boolean stubs) {
        String name = version.root().hex() + (stubs ? Checkouts.WITH_STUBS : "");
        io.dormant.library.fs.DirectoryExporter exporter = stubs
                ? io.dormant.library.fs.DirectoryExporter.withStubs(store, store.objectsDir())
                : new io.dormant.library.fs.DirectoryExporter(store);
        // Runs of one engine that check out the same tree at once wait for one export, not make two.
        synchronized (CHECKOUTS.computeIfAbsent(name, key -> new Object())) {
            try {
                return cache.checkouts().checkOut(name,
                        partial -> exporter.export(version.root(), partial, progress),
                        progress::phase);
            } catch (IOException e) {
                throw new ImageLibraryException("cannot check out " + version.ref() + ": " + e.getMessage()
                        + (Checkouts.outOfRoom(e) ? "; make room there, or set " + Checkouts.VARIABLE
                                + " to a directory with room for the image" : ""), e);
            }
        }
    }

    public ExportReport export(VersionRef ref, Path destination, ExportFormat format, Progress progress) {
        return export(ref, destination, format, System.getProperty("user.name"), progress);
    }

    /** Writes a version out and records who exported it where. */
    public ExportReport export(VersionRef ref, Path destination, ExportFormat format, String actor, Progress progress) {
        ImageVersion version = catalogue.version(ref);
        try {
            ExportReport report = new ExportReport(version, format, destination, format.isDisk()
                    ? exportDisk(version, destination, format == ExportFormat.QCOW2_FLAT, progress)
                    : format.exporter(store).export(version.root(), destination, progress));
            audit.append(actor, "version.exported", "image:" + version.ref(), AuditDetails.of(java.util.Map.of(
                    "destination", destination.toAbsolutePath().toString(), "format", format.userName())));
            return report;
        } catch (IOException | DiskImageException e) {
            throw new ImageLibraryException("export of " + version.ref() + " to " + destination + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes {@code version} onto the disk its nearest imported ancestor came from. */
    private ExportResult exportDisk(ImageVersion version, Path destination, boolean flatten,
                                    Progress progress) throws IOException {
        ImageVersion base = version;
        Optional<DiskOrigin> origin = diskOrigins.of(base);
        while (origin.isEmpty() && base.parentNumber() != null) {
            base = catalogue.version(new VersionRef(base.image(), base.parentNumber()));
            origin = diskOrigins.of(base);
        }
        if (origin.isEmpty()) {
            throw new ImageLibraryException(version.ref() + " has no disk image in its lineage (" + base.ref()
                    + " was not imported from one), so there is no disk to build on: export it as dir or tar, or import"
                    + " the image from its disk (qcow2, raw, vmdk, vhdx) and patch that");
        }
        return disks.exportDisk(origin.get(), base.ref(), base.root(), version.root(), store, destination, flatten, progress);
    }

    public VersionDiff diff(VersionRef from, VersionRef to) {
        ImageVersion a = catalogue.version(from);
        ImageVersion b = catalogue.version(to);
        try {
            DiffResult result = new TreeDiff(store).diff(a.root(), b.root());
            return new VersionDiff(a, b, result);
        } catch (IOException e) {
            throw new ImageLibraryException("diff of " + a.ref() + " and " + b.ref() + " failed: " + e.getMessage(), e);
        }
    }

    /** The packages installed in a version, as recorded when it was made. */
    public List<InstalledPackage> inventory(VersionRef ref) {
        return catalogue.inventory(catalogue.version(ref));
    }

    public FsckResult fsck(Progress progress) {
        return new StoreFsck(store, catalogue).run(progress);
    }

    public GcResult gc() {
        return new StoreGc(store, catalogue).run();
    }
}
