package io.dormant.engine.campaigns;

import io.dormant.engine.runs.PatchRun;
import io.dormant.engine.runs.PatchRuns;
import io.dormant.library.audit.AuditDetails;
import io.dormant.library.catalogue.ImageSummary;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ImageLibrary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/** The steps of the patch-campaign workflow, one method per service task or listener. */
@Service("campaignSteps")
public class CampaignSteps {

    private final Campaigns campaigns;
    private final PatchRuns patchRuns;
    private final PatchSources sources;
    private final ImageLibrary library;

    CampaignSteps(Campaigns campaigns, PatchRuns patchRuns, PatchSources sources, ImageLibrary library) {
        this.campaigns = campaigns;
        this.patchRuns = patchRuns;
        this.sources = sources;
        this.library = library;
    }

    /** Selects the images by name and by the inventory of their newest version; answers how many. */
    public int select(long campaignRunId, boolean planApproval) {
        Campaign campaign = campaigns.ofRun(campaignRunId);
        List<String> selected = new ArrayList<>();
        for (ImageSummary image : library.catalogue().images()) {
            if (campaign.selector().matchesName(image.name())
                    && campaign.selector().matchesInventory(library.inventory(new VersionRef(image.name(), null)))) {
                selected.add(image.name());
            }
        }
        campaigns.selected(campaignRunId, selected, planApproval ? "awaiting-approval" : "running");
        return selected.size();
    }

    /** The plan an admin approves before any image is touched. */
    public String planText(long campaignRunId) {
        Campaign campaign = campaigns.ofRun(campaignRunId);
        CampaignRun run = campaigns.run(campaignRunId);
        return "campaign " + campaign.name() + ", run " + campaignRunId + ", started by " + run.startedBy() + "\n"
                + "images (" + campaign.selector().describe() + "): " + run.selection().size() + "\n  "
                + String.join("\n  ", run.selection()) + "\npatches from " + campaign.patchSource() + "\n"
                + "at most " + campaign.concurrency() + " applied at once; "
                + (campaign.imageApproval() ? "each image's result waits for an approval" : "results are checked in without a further approval")
                + "\n";
    }

    public String imageAt(long campaignRunId, int index) {
        return campaigns.run(campaignRunId).selection().get(index);
    }

    public void planDecided(long campaignRunId, String approver, boolean approved, String comment) {
        Campaign campaign = campaigns.ofRun(campaignRunId);
        library.audit().append(approver, approved ? "approval.given" : "approval.refused", "campaign:" + campaign.name(),
                AuditDetails.of(new LinkedHashMap<>(Map.of("run", campaignRunId, "comment", comment == null ? "" : comment))));
        if (approved) {
            campaigns.setState(campaignRunId, "running");
        } else {
            campaigns.end(campaignRunId, "rejected", Map.of("text", "plan rejected by " + approver
                    + (comment == null || comment.isBlank() ? "" : ": " + comment)), null);
        }
    }

    public void approvalRequested(long campaignRunId, String taskId) {
        Campaign campaign = campaigns.ofRun(campaignRunId);
        library.audit().append(campaigns.run(campaignRunId).startedBy(), "approval.requested", "campaign:" + campaign.name(),
                AuditDetails.of(Map.of("run", campaignRunId, "task", taskId, "group", "image-admins")));
    }

    /** Counts how each image's run ended, ends the campaign run, and says so in the audit trail. */
    public String summarize(long campaignRunId) {
        Campaign campaign = campaigns.ofRun(campaignRunId);
        Map<String, Integer> byState = new TreeMap<>();
        List<String> created = new ArrayList<>();
        for (PatchRun run : patchRuns.ofCampaignRun(campaignRunId)) {
            byState.merge(run.state(), 1, Integer::sum);
            if (run.created() != null) {
                created.add(run.created());
            }
        }
        StringBuilder text = new StringBuilder(campaigns.run(campaignRunId).selection().size() + " images selected");
        byState.forEach((state, count) -> text.append(", ").append(count).append(' ').append(state));
        if (!created.isEmpty()) {
            text.append("; new versions: ").append(String.join(", ", created));
        }
        // A refused plan needs an admin as much as a failure does: the campaign did not do its job there.
        boolean failed = byState.containsKey(PatchRun.FAILED) || byState.containsKey(PatchRun.CANCELLED)
                || byState.containsKey(PatchRun.REFUSED);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("text", text.toString());
        summary.put("runs", byState);
        summary.put("created", created);
        campaigns.end(campaignRunId, failed ? "failed" : "succeeded", summary, null);
        sources.forget(campaignRunId);
        library.audit().append("dormant", "campaign.ended", "campaign:" + campaign.name(),
                AuditDetails.of(new LinkedHashMap<>(Map.of("run", campaignRunId, "summary", text.toString()))));
        return text.toString();
    }

    /** The workflow ended without a summary (cancelled, deleted): the run says so. */
    public void ended(long campaignRunId, String why) {
        if (campaigns.end(campaignRunId, "cancelled", Map.of("text", why), null)) {
            sources.forget(campaignRunId);
        }
    }

    public void startScheduled(long campaignId, CampaignService service) {
        service.start(campaigns.byId(campaignId), "scheduler");
    }
}
