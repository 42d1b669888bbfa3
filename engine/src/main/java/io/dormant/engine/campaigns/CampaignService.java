package io.dormant.engine.campaigns;

import io.dormant.engine.runs.PatchRun;
import io.dormant.engine.runs.PatchRuns;
import io.dormant.library.audit.AuditDetails;
import io.dormant.library.images.ImageLibrary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.calendar.CycleBusinessCalendar;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;

/** What admins do with campaigns: create, list, start, look at, cancel. */
@Service
public class CampaignService {

    public static final String CAMPAIGN_PROCESS = "patch-campaign";
    public static final String SCHEDULE_PROCESS = "campaign-schedule";
    static final String UNSCHEDULED = "CampaignUnscheduled";

    /** How a campaign is asked for (REST body, CLI options). */
    public record Request(String name, List<String> images, List<String> where, String patches, String schedule,
                          Boolean planApproval, Boolean imageApproval, Integer concurrency) {
    }

    /** A campaign with its recent runs and, for the newest, the run of each image. */
    public record Status(Campaign campaign, String nextScheduledRun, List<CampaignRun> runs, List<PatchRun> newestRunImages) {
    }

    private final Campaigns campaigns;
    private final PatchRuns patchRuns;
    private final RuntimeService runtime;
    private final ImageLibrary library;

    CampaignService(Campaigns campaigns, PatchRuns patchRuns, RuntimeService runtime, ImageLibrary library) {
        this.campaigns = campaigns;
        this.patchRuns = patchRuns;
        this.runtime = runtime;
        this.library = library;
    }

    public Campaign create(Request request, String actor) {
        if (request.name() == null || !request.name().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("a campaign name is 1 to 64 of a-z 0-9 . _ - (got '" + request.name() + "')");
        }
        ImageSelector selector = new ImageSelector(request.images(), request.where());
        String source = PatchSources.validated(request.patches());
        String schedule = request.schedule() == null || request.schedule().isBlank() ? null : request.schedule().strip();
        if (schedule != null) {
            nextRun(schedule);
        }
        int concurrency = request.concurrency() == null ? 2 : request.concurrency();
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1 (got " + concurrency + ")");
        }
        Campaign campaign = campaigns.create(request.name(), selector, source, schedule,
                Boolean.TRUE.equals(request.planApproval()), !Boolean.FALSE.equals(request.imageApproval()), concurrency, actor);
        if (schedule != null) {
            runtime.createProcessInstanceByKey(SCHEDULE_PROCESS).businessKey(campaign.name())
                    .setVariable("campaignId", campaign.id()).setVariable("schedule", schedule).execute();
        }
        library.audit().append(actor, "campaign.created", "campaign:" + campaign.name(), AuditDetails.of(new LinkedHashMap<>(Map.of(
                "images", selector.describe(), "patches", source, "schedule", schedule == null ? "" : schedule,
                "planApproval", campaign.planApproval(), "imageApproval", campaign.imageApproval(), "concurrency", concurrency))));
        return campaign;
    }

    public List<Campaign> list() {
        return campaigns.all();
    }

    /** Starts a run now; {@code actor} is the starter, who may not approve its plan or its images. */
    public CampaignRun start(String name, String actor) {
        return start(campaigns.byName(name), actor);
    }

    CampaignRun start(Campaign campaign, String actor) {
        long runId = campaigns.openRun(campaign, actor);
        ProcessInstance instance = runtime.createProcessInstanceByKey(CAMPAIGN_PROCESS)
                .businessKey(campaign.name() + "#" + runId)
                .setVariable("campaignRunId", runId).setVariable("starter", actor)
                .setVariable("planApprovalRequired", campaign.planApproval())
                .setVariable("imageApprovalRequired", campaign.imageApproval())
                .execute();
        campaigns.setProcessInstance(runId, instance.getId());
        library.audit().append(actor, "campaign.started", "campaign:" + campaign.name(),
                AuditDetails.of(Map.of("run", runId, "images", campaign.selector().describe(), "patches", campaign.patchSource())));
        return campaigns.run(runId);
    }

    public Status status(String name) {
        Campaign campaign = campaigns.byName(name);
        List<CampaignRun> runs = campaigns.runsOf(name, 10);
        return new Status(campaign, campaign.schedule() == null ? null : nextRun(campaign.schedule()).toString(), runs,
                runs.isEmpty() ? List.of() : patchRuns.ofCampaignRun(runs.get(0).id()));
    }

    /** Cancels every active run of the campaign: its images' runs end, staged results are dropped. */
    public List<CampaignRun> cancel(String name, String actor) {
        List<CampaignRun> cancelled = campaigns.runsOf(name, 100).stream().filter(CampaignRun::active).toList();
        for (CampaignRun run : cancelled) {
            if (run.processInstanceId() != null
                    && runtime.createProcessInstanceQuery().processInstanceId(run.processInstanceId()).count() > 0) {
                runtime.deleteProcessInstance(run.processInstanceId(), "cancelled by " + actor);
            }
            campaigns.end(run.id(), "cancelled", Map.of("text", "cancelled by " + actor), null);
            library.audit().append(actor, "campaign.cancelled", "campaign:" + name, AuditDetails.of(Map.of("run", run.id())));
        }
        return cancelled.stream().map(run -> campaigns.run(run.id())).toList();
    }

    /** Stops the schedule: the campaign stays, to be started by hand. */
    public Campaign unschedule(String name, String actor) {
        Campaign campaign = campaigns.byName(name);
        if (campaign.schedule() == null) {
            throw new IllegalArgumentException("campaign " + name + " has no schedule");
        }
        runtime.createMessageCorrelation(UNSCHEDULED).processInstanceBusinessKey(name).correlateAll();
        campaigns.unschedule(campaign.id());
        library.audit().append(actor, "campaign.unscheduled", "campaign:" + name, AuditDetails.of(Map.of("schedule", campaign.schedule())));
        return campaigns.byId(campaign.id());
    }

    private static java.util.Date nextRun(String schedule) {
        try {
            return new CycleBusinessCalendar().resolveDuedate(schedule);
        } catch (ProcessEngineException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the schedule '" + schedule + "' is not a cron expression such as"
                    + " '0 0 3 * * ?' (sec min hour day month weekday) or an ISO cycle such as 'R/PT24H': " + e.getMessage());
        }
    }
}
