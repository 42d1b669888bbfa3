package io.dormant.engine.health;

import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * UP only when the Camunda engine answers a query against its own tables and its job executor runs,
 * because without the job executor no timer campaign and no asynchronous step would ever fire.
 */
@Component("workflowEngine")
class ProcessEngineHealthIndicator extends AbstractHealthIndicator {

    private final ProcessEngine processEngine;

    ProcessEngineHealthIndicator(ProcessEngine processEngine) {
        super("the workflow engine does not answer");
        this.processEngine = processEngine;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long deployments = processEngine.getRepositoryService().createDeploymentQuery().count();
        var configuration = (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl)
                processEngine.getProcessEngineConfiguration();
        boolean jobExecutorActive = configuration.getJobExecutor() != null && configuration.getJobExecutor().isActive();
        builder.withDetail("name", processEngine.getName())
                .withDetail("deployments", deployments)
                .withDetail("jobExecutorActive", jobExecutorActive);
        if (jobExecutorActive) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
