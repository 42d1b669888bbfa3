package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;

/**
 * A version about to be recorded. {@code parent} is the version it was made from (a patch names the
 * version it checked out); null means "the image's newest version, if any" (an import).
 */
public record NewVersion(String image, ObjectId root, VersionReason reason, String actor, String summary,
                         Integer parent, boolean createImage) {

    public static NewVersion imported(String image, ObjectId root, String actor, String summary) {
        return new NewVersion(image, root, VersionReason.IMPORT, actor, summary, null, true);
    }

    public static NewVersion derived(ImageVersion from, ObjectId root, VersionReason reason, String actor, String summary) {
        return new NewVersion(from.image(), root, reason, actor, summary, from.number(), false);
    }
}
