package io.dormant.engine.runs;

import io.dormant.engine.approvals.FourEyes;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The thin delegates of patch-image.bpmn: each reads the run id, calls one step of
 * {@link PatchImageService} and writes the variable the next gateway reads. A failing step records
 * why on the run and rethrows, so that the engine retries it and, after the last attempt, raises an
 * incident.
 */
@Configuration(proxyBeanMethods = false)
class PatchImageDelegates {

    interface Step {
        void run(long runId) throws Exception;
    }

    @Bean
    JavaDelegate checkOutDelegate(PatchImageService steps, PatchRuns runs) {
        return execution -> {
            Long runId = (Long) execution.getVariable("runId");
            if (runId == null) {
                String image = (String) execution.getVariable("image");
                String starter = (String) execution.getVariable("starter");
                Long campaignRunId = (Long) execution.getVariable("campaignRunId");
                try {
                    runId = runs.open(image, starter, campaignRunId, List.of(), execution.getProcessInstanceId());
                } catch (ImageBusyException e) {
                    runs.recordBusy(image, starter, campaignRunId, e.getMessage());
                    execution.setVariable("busy", true);
                    return;
                }
                execution.setVariable("runId", runId);
            }
            execution.setVariable("busy", false);
            long id = runId;
            guarded(execution, steps, "check-out", run -> execution.setVariable("source", steps.checkOut(id)));
        };
    }

    @Bean
    JavaDelegate readInventoryDelegate(PatchImageService steps) {
        return execution -> guarded(execution, steps, "inventory",
                runId -> execution.setVariable("applicable", steps.readInventory(runId)));
    }

    @Bean
    JavaDelegate applyOfflineDelegate(PatchImageService steps) {
        return execution -> guarded(execution, steps, "offline apply",
                runId -> execution.setVariable("applyOutcome", steps.applyOffline(runId)));
    }

    @Bean
    JavaDelegate reportDelegate(PatchImageService steps) {
        return execution -> guarded(execution, steps, "report",
                runId -> execution.setVariable("report", steps.report(runId)));
    }

    @Bean
    JavaDelegate checkInDelegate(PatchImageService steps) {
        return execution -> guarded(execution, steps, "check-in",
                runId -> execution.setVariable("createdVersion", steps.checkIn(runId, (String) execution.getVariable("decidedBy"))));
    }

    @Bean
    JavaDelegate rejectDelegate(PatchImageService steps) {
        return execution -> guarded(execution, steps, "rejection", runId -> steps.reject(runId,
                (String) execution.getVariable("decidedBy"), (String) execution.getVariable(FourEyes.COMMENT)));
    }

    /** Approval of one image's result: asked on create, four-eyes and audit on complete. */
    @Bean
    TaskListener patchApprovalListener(PatchImageService steps) {
        return task -> {
            long runId = (Long) task.getVariable("runId");
            if (TaskListener.EVENTNAME_CREATE.equals(task.getEventName())) {
                steps.approvalRequested(runId, task.getId());
            } else if (TaskListener.EVENTNAME_COMPLETE.equals(task.getEventName())) {
                String decider = FourEyes.decider(task);
                task.setVariable("decidedBy", decider);
                steps.decided(runId, decider, FourEyes.approved(task), FourEyes.comment(task));
            }
        };
    }

    /** At the end of the process, whatever ended it: a run that did not finish is cancelled and leaves nothing. */
    @Bean
    ExecutionListener patchRunEndListener(PatchImageService steps) {
        return execution -> {
            Long runId = (Long) execution.getVariable("runId");
            if (runId != null) {
                steps.ended(runId, "cancelled" + (execution.getProcessInstance().isCanceled() ? ": the workflow was deleted" : ""));
            }
        };
    }

    private static void guarded(DelegateExecution execution, PatchImageService steps, String name, Step step) throws Exception {
        long runId = (Long) execution.getVariable("runId");
        try {
            step.run(runId);
        } catch (Exception e) {
            steps.attemptFailed(runId, name, e);
            throw e;
        }
    }
}
