package io.dormant.engine.policy;

import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.variable.Variables;

/**
 * The action policy of the workflows: the newest deployed version of {@code Decision_ActionTier},
 * so that an admin changes it by deploying a new version of the table (Cockpit shows which one
 * decided). One instance per apply, so that a run sees one version from start to end.
 */
public final class DeployedActionPolicy implements ActionPolicy {

    private final DecisionService decisions;
    private final Map<String, ActionTier> answers = new ConcurrentHashMap<>();

    public DeployedActionPolicy(DecisionService decisions) {
        this.decisions = decisions;
    }

    @Override
    public ActionTier tierFor(String actionKind, String format, boolean sandboxAvailable) {
        return answers.computeIfAbsent(actionKind + "|" + format + "|" + sandboxAvailable, key -> {
            var result = decisions.evaluateDecisionTableByKey(DmnActionPolicy.DECISION, Variables.createVariables()
                    .putValue("actionKind", actionKind).putValue("scriptFormat", format)
                    .putValue("sandboxAvailable", sandboxAvailable));
            if (result.isEmpty()) {
                throw new IllegalStateException("the deployed " + DmnActionPolicy.DECISION + " has no rule for "
                        + actionKind + " (" + format + "); deploy a version with a last rule that matches everything");
            }
            return ActionTier.ofWord(result.getSingleResult().getSingleEntry());
        });
    }
}
