package io.dormant.engine.runs;

import java.time.Instant;
import java.util.List;

/**
 * One run of the patch-image workflow on one image, as the catalogue keeps it: its state, the
 * version it started from, the staged result while it waits for an approval, the version it made
 * and, in words, how it ended.
 */
public record PatchRun(long id, String image, String source, Long campaignRunId, String processInstanceId, String state,
                       String startedBy, Instant startedAt, Instant endedAt, Long stagedId, String created,
                       List<String> patches, String outcome) {

    public static final String RUNNING = "running";
    public static final String AWAITING_APPROVAL = "awaiting-approval";
    public static final String SUCCEEDED = "succeeded";
    public static final String NOT_APPLICABLE = "not-applicable";
    public static final String REJECTED = "rejected";
    public static final String REFUSED = "refused";
    public static final String BUSY = "busy";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public boolean active() {
        return RUNNING.equals(state) || AWAITING_APPROVAL.equals(state);
    }
}
