package io.dormant.engine.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dormant.adapters.patching.AppliedPatch;
import io.dormant.adapters.patching.ImagePatcher;
import io.dormant.adapters.patching.PatchOptions;
import io.dormant.adapters.patching.PatchRefusedException;
import io.dormant.adapters.patching.PatchResult;
import io.dormant.engine.patching.ApplyScratch;
import io.dormant.engine.patching.PatchReport;
import io.dormant.engine.policy.DmnActionPolicy;
import io.dormant.library.audit.AuditDetails;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.StagedVersion;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.diff.DiffResult;
import io.dormant.library.diff.TreeDiff;
import io.dormant.library.images.ImageLibrary;
import io.dormant.library.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.DecisionService;
import org.springframework.stereotype.Service;

/**
 * The steps of the patch-image workflow, one method per service task. Each step reads the run from
 * the catalogue and leaves its result there, so that a step can be retried, and the run can wait for
 * an approval across restarts of the engine.
 */
@Service
public class PatchImageService {

    /** What the apply step answers, for the workflow's gateway. */
    public static final String STAGED = "staged";
    public static final String NOTHING_TO_APPLY = "nothing";
    public static final String REFUSED = "refused";
    public static final String WAIT_FOR_SLOT = "wait";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final int TASK_TEXT_LIMIT = 3800;

    private final ImageLibrary library;
    private final PatchRuns runs;
    private final ApplySlots slots;
    private final PatchSelection selection;
    private final DecisionService decisions;
    private final Path scratch;

    public PatchImageService(ImageLibrary library, PatchRuns runs, ApplySlots slots, PatchSelection selection,
                             DecisionService decisions, Path dormantHome) {
        this.library = library;
        this.runs = runs;
        this.slots = slots;
        this.selection = selection;
        this.decisions = decisions;
        this.scratch = ApplyScratch.choose(System.getenv(), dormantHome);
    }

    /** Pins the version the run starts from: the newest version of the image, now. */
    public String checkOut(long runId) {
        PatchRun run = runs.get(runId);
        if (run.source() != null) {
            return run.source();
        }
        ImageVersion from = library.catalogue().version(new VersionRef(run.image(), null));
        runs.setSource(runId, from.id());
        return from.ref();
    }

    /**
     * Reads the source version's inventory and keeps, of the run's candidate packages, those that
     * upgrade a package the image has; a campaign's candidates come from its patch source now.
     * Answers whether anything is left to apply.
     */
    public boolean readInventory(long runId) {
        PatchRun run = runs.get(runId);
        var inventory = library.inventory(VersionRef.parse(run.source()));
        List<String> candidates = run.patches().isEmpty() && run.campaignRunId() != null
                ? selection.fromCampaignSource(run.campaignRunId(), inventory) : run.patches();
        List<String> applicable = selection.upgrades(candidates, inventory);
        runs.setPatches(runId, applicable);
        if (applicable.isEmpty()) {
            runs.end(runId, PatchRun.NOT_APPLICABLE, "no package of the patch set upgrades a package of "
                    + run.source(), null);
            return false;
        }
        return true;
    }

    /**
     * Applies the run's packages offline and stages the result. Within a campaign, first takes one of
     * its apply slots (the concurrency limit) and answers {@link #WAIT_FOR_SLOT} when none is free.
     */
    public String applyOffline(long runId) throws IOException {
        PatchRun run = runs.get(runId);
        if (run.stagedId() != null) {
            // An earlier attempt staged the result; its job's transaction rolled back afterwards.
            return STAGED;
        }
        if (!slots.take(run)) {
            return WAIT_FOR_SLOT;
        }
        try {
            List<Path> files = run.patches().stream().map(Path::of).toList();
            PatchResult result;
            try {
                result = new ImagePatcher(library, scratch, DmnActionPolicy.deployed(decisions)).removingScratchLater()
                        .stage(VersionRef.parse(run.source()), files, PatchOptions.APPLY, run.startedBy(), Progress.none());
            } catch (PatchRefusedException e) {
                runs.end(runId, PatchRun.REFUSED, e.getMessage(), null);
                return REFUSED;
            }
            if (result.staged() == null) {
                runs.end(runId, PatchRun.NOT_APPLICABLE, "the plan is empty: " + PatchReport.text(result).strip(), null);
                return NOTHING_TO_APPLY;
            }
            ObjectNode stored = JSON.createObjectNode();
            stored.set("report", JSON.valueToTree(PatchReport.of(result)));
            stored.put("plan", PatchReport.planText(result));
            stored.put("outcome", PatchReport.outcomeText(result));
            stored.put("summary", PatchReport.summaryText(result));
            stored.put("scripts", PatchReport.scriptsText(result));
            stored.set("applied", JSON.valueToTree(result.applied()));
            runs.stagedNow(runId, result.staged().id(), JSON.writeValueAsString(stored));
            return STAGED;
        } finally {
            slots.release(run);
        }
    }

    /** The readable report of a staged run with the diff of its result, for the approval task. */
    public String report(long runId) throws IOException {
        PatchRun run = runs.get(runId);
        StagedVersion staged = library.staged().get(run.stagedId());
        ImageVersion from = library.catalogue().version(VersionRef.parse(run.source()));
        DiffResult diff = new TreeDiff(library.store()).diff(from.root(), staged.root());
        JsonNode stored = JSON.readTree(runs.report(runId));
        // What was done, then the plan (which packages, from which version to which), then each
        // script call: that list is the longest and the least needed to decide, so it is what the
        // task form cuts off. A run stored before the summary was kept apart has the outcome whole.
        String outcome = stored.has("summary") ? stored.path("summary").asText() : stored.path("outcome").asText();
        String text = "run " + runId + " of " + run.image() + ", started by " + run.startedBy() + "\n"
                + "diff " + from.ref() + " -> staged result: " + diff.summary() + "\n"
                + outcome + stored.path("plan").asText() + stored.path("scripts").asText("");
        runs.setOutcome(runId, "waiting for an approval");
        return text.length() <= TASK_TEXT_LIMIT ? text : text.substring(0, TASK_TEXT_LIMIT)
                + "\n... (the whole report: dormant run show " + runId + ")";
    }

    /** Approval asked: the run waits, and the audit trail says who must decide. */
    public void approvalRequested(long runId, String taskId) {
        PatchRun run = runs.get(runId);
        runs.awaitApproval(runId);
        library.audit().append(run.startedBy(), "approval.requested", "run:" + runId, AuditDetails.of(Map.of(
                "image", run.image(), "source", run.source(), "task", taskId, "group", "image-admins")));
    }

    /** An approval or a rejection, with its comment, in the audit trail. */
    public void decided(long runId, String approver, boolean approved, String comment) {
        PatchRun run = runs.get(runId);
        library.audit().append(approver, approved ? "approval.given" : "approval.refused", "run:" + runId,
                AuditDetails.of(new LinkedHashMap<>(Map.of("image", run.image(), "source", run.source(),
                        "comment", comment == null ? "" : comment))));
    }

    /** Makes the staged result the next version of the image; the run ends as succeeded. */
    public String checkIn(long runId, String approvedBy) throws IOException {
        PatchRun run = runs.get(runId);
        if (run.created() != null) {
            return run.created();
        }
        if (run.stagedId() == null) {
            throw new IllegalStateException("run " + runId + " of " + run.image() + " has no staged result to check in:"
                    + " an earlier attempt checked it in or dropped it without recording that here; see 'dormant audit'"
                    + " for the version it created, then cancel this run");
        }
        StagedVersion staged = library.staged().get(run.stagedId());
        List<AppliedPatch> applied = new ArrayList<>();
        for (JsonNode patch : JSON.readTree(runs.report(runId)).path("applied")) {
            applied.add(JSON.treeToValue(patch, AppliedPatch.class));
        }
        ImageVersion created = ImagePatcher.checkIn(library, staged, applied, run.startedBy());
        runs.endNow(runId, PatchRun.SUCCEEDED, "created " + created.ref() + (approvedBy == null ? "" : ", approved by " + approvedBy),
                created.id());
        return created.ref();
    }

    /** A rejection: the staged result is dropped and the source version stays as it was. */
    public void reject(long runId, String rejectedBy, String comment) {
        PatchRun run = runs.get(runId);
        dropStaged(run, rejectedBy, "rejected by " + rejectedBy);
        runs.end(runId, PatchRun.REJECTED, "rejected by " + rejectedBy + (comment == null || comment.isBlank() ? "" : ": " + comment), null);
    }

    /** The workflow ended without finishing the run (cancelled or deleted): nothing of it stays. */
    public void ended(long runId, String why) {
        PatchRun run = runs.get(runId);
        if (!run.active()) {
            return;
        }
        dropStaged(run, "dormant", why);
        runs.end(runId, PatchRun.CANCELLED, why, null);
    }

    /** A failed attempt of a step: the run says why while the engine retries, and after the last one. */
    public void attemptFailed(long runId, String step, Exception failure) {
        runs.setOutcomeNow(runId, step + " failed: " + failure.getMessage()
                + " (retried; after the last attempt the run waits as an incident in Cockpit: retry or cancel it)");
    }

    private void dropStaged(PatchRun run, String actor, String why) {
        if (run.stagedId() != null) {
            library.drop(library.staged().get(run.stagedId()), actor, why);
        }
    }
}
