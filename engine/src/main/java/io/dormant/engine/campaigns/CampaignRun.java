package io.dormant.engine.campaigns;

import java.time.Instant;
import java.util.List;

/** One run of a campaign: who or what started it, its state, the images it selected, how it ended. */
public record CampaignRun(long id, String campaign, String state, String processInstanceId, String startedBy,
                          Instant startedAt, Instant endedAt, List<String> selection, String summary, String error) {

    public boolean active() {
        return !List.of("succeeded", "failed", "rejected", "cancelled").contains(state);
    }
}
