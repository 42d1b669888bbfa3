package io.dormant.engine.cli;

import io.dormant.engine.images.ImageViews;
import io.dormant.library.catalogue.ImageSummary;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.diff.Change;
import io.dormant.library.images.ExportFormat;
import io.dormant.library.images.ExportReport;
import io.dormant.library.images.ImageLibrary;
import io.dormant.library.images.ImportReport;
import io.dormant.library.images.VersionDiff;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant image ...}: the library's images and versions, read and written directly. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Import, list, export and compare images.")
final class ImageCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the result as JSON.")
    boolean json;

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a directory, a tar archive (plain, gz, xz, zst) or a disk image (qcow2, raw, vmdk, vhdx,"
                    + " vdi, vpc; read through libguestfs) as the next version of NAME.")
    int importImage(@Parameters(paramLabel = "NAME") String name,
                    @Parameters(paramLabel = "SOURCE") Path source) {
        ImageLibrary library = LibraryAccess.open();
        ImportReport report;
        try (ConsoleProgress progress = new ConsoleProgress("importing", System.err, !json)) {
            report = library.importImage(name, source, LibraryAccess.actor(), progress);
        }
        if (json) {
            Json.print(ImageViews.of(report));
        } else {
            var r = report.result();
            System.out.printf("imported %s from %s %s%n", report.version().ref(), report.sourceKind(), source);
            System.out.printf("  %,d files, %,d directories, %,d other entries, %s%n", r.files(), r.directories(),
                    r.otherEntries(), Sizes.human(r.bytes()));
            System.out.printf("  read %,d files (%s), stored %s new, in %.1f s%n", r.filesHashed(), Sizes.human(r.bytesHashed()),
                    Sizes.human(r.newBytes()), r.duration().toMillis() / 1000.0);
            System.out.printf("  root %s%n", r.root().hex());
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the images.")
    int list() {
        List<ImageSummary> images = LibraryAccess.open().catalogue().images();
        if (json) {
            Json.print(images);
            return 0;
        }
        if (images.isEmpty()) {
            System.out.println("no images yet; add one with: dormant image import NAME DIR|TAR|DISK");
            return 0;
        }
        Table table = new Table("IMAGE", "VERSIONS", "NEWEST", "UPDATED");
        images.forEach(i -> table.row(i.name(), i.versions(), i.name() + "@" + i.newestVersion(), Views.time(i.updatedAt())));
        table.print();
        return 0;
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "List the versions of an image.")
    int versions(@Parameters(paramLabel = "NAME") String name) {
        List<ImageVersion> versions = LibraryAccess.open().catalogue().versions(name);
        if (json) {
            Json.print(versions.stream().map(ImageViews::of).toList());
            return 0;
        }
        Table table = new Table("VERSION", "PARENT", "REASON", "BY", "CREATED", "ROOT", "SUMMARY");
        versions.forEach(v -> table.row(v.ref(), v.parentNumber() == null ? null : v.image() + "@" + v.parentNumber(),
                v.reason().word(), v.createdBy(), Views.time(v.createdAt()), v.root().hex().substring(0, 12), v.summary()));
        table.print();
        return 0;
    }

    @Command(name = "patches", mixinStandardHelpOptions = true,
            description = "List the package files that made a version (NAME or NAME@N), in the order they were applied.")
    int patches(@Parameters(paramLabel = "NAME[@N]") String ref) {
        ImageLibrary library = LibraryAccess.open();
        io.dormant.library.catalogue.ImageVersion version = library.catalogue().version(VersionRef.parse(ref));
        List<io.dormant.library.catalogue.PatchFile> patches = library.patches().of(version);
        if (json) {
            Json.print(patches);
            return 0;
        }
        if (patches.isEmpty()) {
            System.out.println(version.ref() + " was not made by applying patches (" + version.reason().word() + ")");
            return 0;
        }
        Table table = new Table("#", "PACKAGE", "VERSION", "ARCH", "FILE", "SHA256");
        int position = 0;
        for (var p : patches) {
            table.row(++position, p.name(), p.version(), p.architecture(), p.fileName(), p.digest());
        }
        table.print();
        return 0;
    }

    @Command(name = "inventory", mixinStandardHelpOptions = true,
            description = "List the packages installed in a version (NAME or NAME@N).")
    int inventory(@Parameters(paramLabel = "NAME[@N]") String ref) {
        ImageLibrary library = LibraryAccess.open();
        VersionRef version = VersionRef.parse(ref);
        List<io.dormant.library.catalogue.InstalledPackage> packages = library.inventory(version);
        if (json) {
            Json.print(packages);
            return 0;
        }
        if (packages.isEmpty()) {
            System.out.println(version + " has no package database that Dormant can read (dpkg)");
            return 0;
        }
        Table table = new Table("FORMAT", "PACKAGE", "VERSION", "ARCH", "STATUS");
        packages.forEach(p -> table.row(p.format(), p.name(), p.version(), p.architecture(), p.status()));
        table.print();
        System.out.printf("%d packages%n", packages.size());
        return 0;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a version (NAME or NAME@N) as a directory, a tar archive, or a qcow2 disk built on the"
                    + " disk image its lineage was imported from.")
    int export(@Parameters(paramLabel = "NAME[@N]") String ref,
               @Parameters(paramLabel = "DEST") Path destination,
               @Option(names = "--format", defaultValue = "dir", description = "dir, tar, qcow2 (an overlay on the imported disk, holding only what changed)"
                       + " or qcow2-flat (a disk that stands alone) (default: ${DEFAULT-VALUE})") String format) {
        ImageLibrary library = LibraryAccess.open();
        ExportReport report;
        try (ConsoleProgress progress = new ConsoleProgress("exporting", System.err, !json)) {
            report = library.export(VersionRef.parse(ref), destination, ExportFormat.parse(format), LibraryAccess.actor(), progress);
        }
        if (json) {
            Json.print(ImageViews.of(report));
        } else if (report.format().isDisk()) {
            System.out.printf("exported %s to %s (%s): %,d changed entries written, %,d paths removed, a %s disk, in %.1f s%n",
                    report.version().ref(), destination, report.format().userName(), report.result().files(),
                    report.result().otherEntries(), Sizes.human(report.result().bytes()), report.result().duration().toMillis() / 1000.0);
        } else {
            System.out.printf("exported %s to %s (%s): %,d files, %s in %.1f s%n", report.version().ref(), destination,
                    format, report.result().files(), Sizes.human(report.result().bytes()),
                    report.result().duration().toMillis() / 1000.0);
        }
        return 0;
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Show what changed between two versions: A added, D removed, M changed (with what changed).")
    int diff(@Parameters(paramLabel = "NAME@A") String from, @Parameters(paramLabel = "NAME@B") String to) {
        VersionDiff diff = LibraryAccess.open().diff(VersionRef.parse(from), VersionRef.parse(to));
        if (json) {
            Json.print(ImageViews.of(diff));
            return 0;
        }
        for (Change change : diff.result().changes()) {
            System.out.println(Views.line(change));
        }
        System.out.printf("%s -> %s: %d added, %d removed, %d changed%n", diff.from().ref(), diff.to().ref(),
                diff.result().count(Change.Status.ADDED), diff.result().count(Change.Status.REMOVED),
                diff.result().count(Change.Status.CHANGED));
        return 0;
    }
}
