package io.dormant.engine.images;

import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.diff.Change;
import io.dormant.library.images.ExportReport;
import io.dormant.library.images.ImportReport;
import io.dormant.library.images.VersionDiff;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The shapes that the command line and the REST API return: flat, with words for enums and hex
 * for digests, so that {@code --json} and {@code /api} agree.
 */
public final class ImageViews {

    private ImageViews() {
    }

    public record Version(String ref, String image, int number, String parent, String root, String reason, String createdBy,
                   Instant createdAt, String summary) {
    }

    public record Imported(Version version, String source, long files, long directories, long otherEntries, long bytes,
                    long filesRead, long bytesRead, long newObjects, long newBytes, double seconds) {
    }

    public record Exported(Version version, String format, String destination, long files, long bytes, double seconds) {
    }

    public record ChangeView(String path, String status, List<String> what) {
    }

    public record Diff(String from, String to, long added, long removed, long changed, List<ChangeView> changes) {
    }

    public static Version of(ImageVersion v) {
        return new Version(v.ref(), v.image(), v.number(), v.parentNumber() == null ? null : v.image() + "@" + v.parentNumber(),
                v.root().hex(), v.reason().word(), v.createdBy(), v.createdAt(), v.summary());
    }

    public static Imported of(ImportReport report) {
        var r = report.result();
        return new Imported(of(report.version()), report.sourceKind(), r.files(), r.directories(), r.otherEntries(), r.bytes(),
                r.filesHashed(), r.bytesHashed(), r.newObjects(), r.newBytes(), r.duration().toMillis() / 1000.0);
    }

    public static Exported of(ExportReport report) {
        var r = report.result();
        return new Exported(of(report.version()), report.format().userName(),
                report.destination().toAbsolutePath().toString(), r.files(), r.bytes(), r.duration().toMillis() / 1000.0);
    }

    public static Diff of(VersionDiff diff) {
        var r = diff.result();
        return new Diff(diff.from().ref(), diff.to().ref(), r.count(Change.Status.ADDED), r.count(Change.Status.REMOVED),
                r.count(Change.Status.CHANGED), r.changes().stream().map(ImageViews::view).toList());
    }

    public static ChangeView view(Change change) {
        return new ChangeView(change.path(), change.status().name().toLowerCase(Locale.ROOT),
                change.kinds().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList());
    }
}
