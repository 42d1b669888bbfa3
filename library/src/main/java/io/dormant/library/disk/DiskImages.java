package io.dormant.library.disk;

import io.dormant.library.diff.TreeDiff;
import io.dormant.library.fs.ExportResult;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tar.TarExporter;
import io.dormant.library.tar.TarImporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Disk images in and out of the library through libguestfs: an import reads every file system the
 * image's fstab mounts into a tree; an export writes a qcow2 overlay on the disk a version was
 * imported from, holding only what changed since, or a flattened copy of it.
 */
public final class DiskImages {
    private final Supplier<Map<String, String>> environment;

    /**
     * @param environment what libguestfs needs in its environment here, asked for only when a disk
     *                    is read or written (the engine decides KVM or TCG by probing, which takes seconds)
     */
    public DiskImages(Supplier<Map<String, String>> environment) {
        this.environment = environment;
    }

    /** libguestfs with its own defaults. */
    public static DiskImages withDefaults() {
        return new DiskImages(Map::of);
    }

    /** What was imported, and the disk as it was, for a later disk export. */
    public record Imported(ImportResult result, DiskOrigin origin) {
    }

    public Imported importDisk(DiskImageFile image, ContentStore store, Progress progress) throws IOException {
        DiskOrigin origin = DiskOrigin.of(image);
        progress.phase("reading " + image.path().getFileName() + " (" + image.format().qemuName()
                + ") through a libguestfs appliance, which takes 20 s or more to start");
        HostCommand.Running guest = new Guestfish(environment.get()).readTree(image);
        ImportResult result;
        try (InputStream tar = guest.stdout()) {
            result = new TarImporter(store).importTar(tar, progress);
            tar.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // guestfish stopping early leaves a short tar; its own words say why, so they come first.
            if (guest.exitedWithFailure(Duration.ofSeconds(2))) {
                throw guestFailure(image, guest).orElseThrow();
            }
            guest.kill();
            throw e instanceof IOException io
                    ? new DiskImageException("reading " + image.path() + " failed: " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        try {
            guest.finish();
        } catch (DiskImageException e) {
            throw guestFailure(image, guest).orElse(e);
        }
        if (!DiskOrigin.of(image).equals(origin)) {
            throw new DiskImageException(image.path() + " changed while it was read (is a VM running on it?);"
                    + " import it again when nothing writes to it");
        }
        return new Imported(result, origin);
    }

    /**
     * Writes {@code target} as a qcow2 disk holding {@code root}: an overlay whose backing file is
     * the disk {@code baseRoot} was imported from, or with {@code flatten} a copy that stands alone.
     * The work happens under a temporary name beside {@code target}; a failure leaves nothing there.
     */
    public ExportResult exportDisk(DiskOrigin origin, String baseVersion, ObjectId baseRoot, ObjectId root, ContentStore store,
                                   Path target, boolean flatten, Progress progress) throws IOException {
        long started = System.nanoTime();
        origin.checkNotReplacedBy(target);
        origin.checkUnchanged(baseVersion);
        DiskChanges changes = new DiskChanges(new TreeDiff(store).diff(baseRoot, root));
        Path overlay = target.resolveSibling(target.getFileName() + ".part");
        Path tar = target.resolveSibling(target.getFileName() + ".changes.tar");
        Path flat = target.resolveSibling(target.getFileName() + ".flat.part");
        try {
            progress.phase("collecting what changed since " + baseVersion + " (" + changes.removals().size() + " removals)");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
                new TarExporter(store).export(root, changes, out, progress);
            }
            HostCommand.qemuImg(List.of("create", "-q", "-f", "qcow2", "-b", origin.path().toString(), "-F", origin.format().qemuName(),
                    overlay.toString()));
            if (!changes.isEmpty()) {
                progress.phase("writing " + changes.entriesWritten() + " changed entries and " + changes.removals().size()
                        + " removals into " + target.getFileName() + " through a libguestfs appliance");
                new Guestfish(environment.get()).rewrite(overlay, DiskFormat.QCOW2, changes.removals(), tar);
            }
            if (flatten) {
                progress.phase("flattening " + target.getFileName() + " into a disk that stands alone");
                HostCommand.qemuImg(List.of("convert", "-f", "qcow2", "-O", "qcow2", overlay.toString(), flat.toString()));
                Files.move(flat, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(overlay, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tar);
            Files.deleteIfExists(overlay);
            Files.deleteIfExists(flat);
        }
        return new ExportResult(changes.entriesWritten(), 0, changes.removals().size(), Files.size(target),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** guestfish's own reason, when it failed: it explains better than the empty tar it left. */
    private static Optional<DiskImageException> guestFailure(DiskImageFile image, HostCommand.Running guest) {
        try {
            guest.finish();
            return Optional.empty();
        } catch (DiskImageException e) {
            String text = guest.errorText();
            if (text.contains("no operating system was found")) {
                return Optional.of(new DiskImageException("libguestfs found no operating system on " + image.path()
                        + ": Dormant mounts a disk's file systems by its OS's fstab, so the disk must hold a Linux root"
                        + " file system (an /etc with fstab and os-release). guestfish said: " + firstLine(text), e));
            }
            return Optional.of(new DiskImageException("libguestfs could not read " + image.path() + ": " + text, e));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
