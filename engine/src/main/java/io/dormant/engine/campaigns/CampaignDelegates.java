package io.dormant.engine.campaigns;

import io.dormant.engine.approvals.FourEyes;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The thin delegates of patch-campaign.bpmn and campaign-schedule.bpmn. */
@Configuration(proxyBeanMethods = false)
class CampaignDelegates {

    @Bean
    JavaDelegate selectImagesDelegate(CampaignSteps steps) {
        return execution -> {
            long runId = (Long) execution.getVariable("campaignRunId");
            boolean planApproval = Boolean.TRUE.equals(execution.getVariable("planApprovalRequired"));
            int count = steps.select(runId, planApproval);
            execution.setVariable("imageCount", count);
            if (planApproval) {
                execution.setVariable("plan", steps.planText(runId));
            }
        };
    }

    @Bean
    JavaDelegate summarizeDelegate(CampaignSteps steps) {
        return execution -> execution.setVariable("summary", steps.summarize((Long) execution.getVariable("campaignRunId")));
    }

    @Bean
    JavaDelegate startScheduledRunDelegate(CampaignSteps steps, CampaignService service) {
        return execution -> steps.startScheduled((Long) execution.getVariable("campaignId"), service);
    }

    @Bean
    TaskListener planApprovalListener(CampaignSteps steps) {
        return task -> {
            long runId = (Long) task.getVariable("campaignRunId");
            if (TaskListener.EVENTNAME_CREATE.equals(task.getEventName())) {
                steps.approvalRequested(runId, task.getId());
            } else if (TaskListener.EVENTNAME_COMPLETE.equals(task.getEventName())) {
                String decider = FourEyes.decider(task);
                steps.planDecided(runId, decider, FourEyes.approved(task), FourEyes.comment(task));
            }
        };
    }

    @Bean
    ExecutionListener campaignEndListener(CampaignSteps steps) {
        return execution -> steps.ended((Long) execution.getVariable("campaignRunId"), "cancelled: the workflow was deleted");
    }
}
