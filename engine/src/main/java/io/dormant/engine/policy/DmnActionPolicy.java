package io.dormant.engine.policy;

import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;

/**
 * The action policy as the DMN table {@code Decision_ActionTier} says: the one shipped in
 * workflows/action-policy.dmn, or an admin's own file. Answers are cached per question, because
 * an apply asks the same few questions hundreds of times.
 */
public final class DmnActionPolicy implements ActionPolicy {

    public static final String DECISION = "Decision_ActionTier";
    public static final String RESOURCE = "/action-policy.dmn";
    static final String SHIPPED = "the shipped action-policy.dmn";

    private final Function<VariableMap, DmnDecisionTableResult> evaluate;
    private final String source;
    private final Map<String, ActionTier> answers = new ConcurrentHashMap<>();

    private DmnActionPolicy(Function<VariableMap, DmnDecisionTableResult> evaluate, String source) {
        this.evaluate = evaluate;
        this.source = source;
    }

    private DmnActionPolicy(InputStream dmn, String source) {
        this(parsed(dmn), source);
    }

    private static Function<VariableMap, DmnDecisionTableResult> parsed(InputStream dmn) {
        DmnEngine engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        DmnDecision decision = engine.parseDecision(DECISION, dmn);
        return variables -> engine.evaluateDecisionTable(decision, variables);
    }

    /**
     * The policy of the workflows: the newest version of {@value #DECISION} deployed to the engine,
     * so that an admin changes it by deploying a new version (Cockpit shows which one decided).
     * Take one per apply, so that a run sees one version from start to end.
     */
    public static DmnActionPolicy deployed(DecisionService decisions) {
        return new DmnActionPolicy(variables -> decisions.evaluateDecisionTableByKey(DECISION, variables),
                "the deployed " + DECISION);
    }

    /** The policy shipped with Dormant. */
    public static DmnActionPolicy shipped() {
        return of(new ByteArrayInputStream(shippedTable()), SHIPPED);
    }

    /** The bytes of the shipped table (workflows/action-policy.dmn, packaged with the engine). */
    static byte[] shippedTable() {
        try (InputStream dmn = DmnActionPolicy.class.getResourceAsStream(RESOURCE)) {
            if (dmn == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            return dmn.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table read from a stream; {@code source} names it in errors. */
    static DmnActionPolicy of(InputStream dmn, String source) {
        return new DmnActionPolicy(dmn, source);
    }

    /** An admin's own policy file; it must define {@value #DECISION} with the same inputs and output. */
    public static DmnActionPolicy fromFile(Path file) {
        try (InputStream dmn = Files.newInputStream(file)) {
            return new DmnActionPolicy(dmn, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the action policy " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the action policy " + file + " is not a DMN file with the decision "
                    + DECISION + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ActionTier tierFor(String actionKind, String format, boolean sandboxAvailable) {
        return answers.computeIfAbsent(actionKind + "|" + format + "|" + sandboxAvailable, key -> {
            DmnDecisionTableResult result = evaluate.apply(Variables.createVariables()
                    .putValue("actionKind", actionKind).putValue("scriptFormat", format)
                    .putValue("sandboxAvailable", sandboxAvailable));
            if (result.isEmpty()) {
                throw new IllegalStateException(source + " has no rule for " + actionKind + " (" + format
                        + "); add one, or a last rule that matches everything");
            }
            return ActionTier.ofWord(result.getSingleResult().getSingleEntry());
        });
    }
}
