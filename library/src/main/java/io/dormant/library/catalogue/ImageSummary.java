package io.dormant.library.catalogue;

import java.time.Instant;

/** An image with its newest version, for listings. */
public record ImageSummary(String name, int versions, int newestVersion, Instant updatedAt, String createdBy) {
}
