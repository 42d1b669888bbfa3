package io.dormant.library.images;

import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.fs.ExportResult;
import java.nio.file.Path;

/** What an export wrote, and where. */
public record ExportReport(ImageVersion version, ExportFormat format, Path destination, ExportResult result) {
}
