package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;
import java.time.Instant;

/**
 * The result of a change that waits for an approval: its objects are durable and gc keeps them,
 * but it is not a version of {@code image} until it is checked in.
 */
public record StagedVersion(long id, String image, int parentNumber, ObjectId root, VersionReason reason,
                            String createdBy, Instant createdAt, String summary) {

    public String parentRef() {
        return image + "@" + parentNumber;
    }
}
