package io.dormant.library.images;

import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.diff.DiffResult;

/** The changes from one version to another. */
public record VersionDiff(ImageVersion from, ImageVersion to, DiffResult result) {
}
