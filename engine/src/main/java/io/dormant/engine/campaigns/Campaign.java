package io.dormant.engine.campaigns;

import java.time.Instant;

/**
 * A patch campaign: which images, which patches (a directory of package files, or a Debian
 * repository written as a sources.list line), when (a cron schedule, or by hand), whether the plan
 * and each image's result need an approval, and how many images are patched at once.
 */
public record Campaign(long id, String name, ImageSelector selector, String patchSource, String schedule,
                       boolean planApproval, boolean imageApproval, int concurrency, boolean enabled,
                       String createdBy, Instant createdAt) {
}
