package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;
import java.time.Instant;

/** One immutable version of an image: its root tree, where it came from, who made it and why. */
public record ImageVersion(long id, String image, int number, Integer parentNumber, ObjectId root,
                           VersionReason reason, String createdBy, Instant createdAt, String summary) {

    /** {@code name@N}, the way users write a version. */
    public String ref() {
        return image + "@" + number;
    }
}
