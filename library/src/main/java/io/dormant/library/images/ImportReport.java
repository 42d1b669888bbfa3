package io.dormant.library.images;

import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.fs.ImportResult;

/** What an import made: the new version and what was read and stored. */
public record ImportReport(ImageVersion version, String sourceKind, ImportResult result) {
}
