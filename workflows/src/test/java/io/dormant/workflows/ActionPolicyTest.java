package io.dormant.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates action-policy.dmn with Camunda's standalone DMN engine, the same engine that will run
 * it in the process engine: every rule with an action that should reach it, and every combination
 * of known inputs for the properties the policy must always keep.
 */
class ActionPolicyTest {

    private static final String RESOURCE = "/action-policy.dmn";
    private static final String DECISION = "Decision_ActionTier";
    private static final List<String> TIERS = List.of("emulate", "confine", "defer", "sandbox");
    private static final List<String> KINDS = List.of("add-user", "enable-unit", "alternatives", "ldconfig", "trigger",
            "debconf", "maintscript-helper", "ucf", "php-module", "file-mode", "bytecode-cleanup", "service-start", "service-restart", "unknown-command");
    private static final List<String> FORMATS = List.of("deb", "rpm", "msi");
    private static final Set<String> PROCESS_STARTS = Set.of("service-start", "service-restart");

    /** One action, the tier it must take, and the rule that must decide it. */
    record Case(String actionKind, String scriptFormat, boolean sandboxAvailable, String tier, String rule) {
        @Override
        public String toString() {
            return actionKind + "/" + scriptFormat + (sandboxAvailable ? "/sandbox" : "") + " -> " + tier + " by " + rule;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("service-restart", "deb", false, "defer", "Rule_ServiceRestartDefers"),
                new Case("service-restart", "rpm", true, "defer", "Rule_ServiceRestartDefers"),
                new Case("service-restart", "msi", true, "defer", "Rule_ServiceRestartDefers"),
                new Case("service-start", "deb", true, "sandbox", "Rule_ServiceStartRunsInSandbox"),
                new Case("service-start", "msi", true, "sandbox", "Rule_ServiceStartRunsInSandbox"),
                new Case("service-start", "rpm", false, "defer", "Rule_ServiceStartDefers"),
                new Case("service-start", "msi", false, "defer", "Rule_ServiceStartDefers"),
                new Case("add-user", "deb", false, "emulate", "Rule_AddUserEmulates"),
                new Case("add-user", "rpm", true, "emulate", "Rule_AddUserEmulates"),
                new Case("enable-unit", "rpm", false, "emulate", "Rule_EnableUnitEmulates"),
                new Case("alternatives", "deb", true, "emulate", "Rule_AlternativesEmulates"),
                new Case("ldconfig", "rpm", false, "emulate", "Rule_LdconfigEmulates"),
                new Case("trigger", "deb", false, "emulate", "Rule_TriggerEmulates"),
                new Case("debconf", "deb", true, "emulate", "Rule_DebconfEmulates"),
                new Case("debconf", "rpm", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("maintscript-helper", "deb", false, "emulate", "Rule_MaintscriptHelperEmulates"),
                new Case("maintscript-helper", "rpm", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("ucf", "deb", false, "emulate", "Rule_UcfEmulates"),
                new Case("ucf", "rpm", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("php-module", "deb", false, "emulate", "Rule_PhpModuleEmulates"),
                new Case("php-module", "rpm", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("file-mode", "deb", false, "emulate", "Rule_FileModeEmulates"),
                new Case("file-mode", "rpm", true, "emulate", "Rule_FileModeEmulates"),
                new Case("bytecode-cleanup", "deb", false, "emulate", "Rule_BytecodeCleanupEmulates"),
                new Case("bytecode-cleanup", "rpm", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("unknown-command", "deb", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("unknown-command", "rpm", true, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("a-kind-added-later", "deb", false, "confine", "Rule_UnknownCommandConfinesOnLinux"),
                new Case("unknown-command", "msi", false, "defer", "Rule_UnknownCommandDefersOnWindows"),
                new Case("unknown-command", "msi", true, "defer", "Rule_UnknownCommandDefersOnWindows"),
                new Case("add-user", "msi", false, "defer", "Rule_UnknownCommandDefersOnWindows"),
                new Case("unknown-command", "appx", false, "defer", "Rule_AnythingElseDefers"),
                new Case("enable-unit", "snap", true, "defer", "Rule_AnythingElseDefers"));
    }

    private DmnEngine engine;
    private DmnDecision decision;
    private final List<String> matchedRules = new ArrayList<>();

    @BeforeEach
    void parseThePolicy() throws Exception {
        DefaultDmnEngineConfiguration configuration =
                (DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration();
        configuration.customPostDecisionTableEvaluationListeners(List.of(
                event -> event.getMatchingRules().forEach(rule -> matchedRules.add(rule.getId()))));
        engine = configuration.buildEngine();
        try (InputStream dmn = policy()) {
            decision = engine.parseDecision(DECISION, dmn);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachActionTakesItsTierByItsRule(Case c) {
        assertThat(tier(c.actionKind(), c.scriptFormat(), c.sandboxAvailable())).isEqualTo(c.tier());
        assertThat(matchedRules).containsExactly(c.rule());
    }

    @Test
    void everyRuleIsReachedByACase() throws Exception {
        Set<String> reached = cases().map(Case::rule).collect(Collectors.toCollection(TreeSet::new));
        try (InputStream dmn = policy()) {
            Set<String> declared = Dmn.readModelFromStream(dmn).getModelElementsByType(Rule.class).stream()
                    .map(Rule::getId)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(reached).isEqualTo(declared);
        }
    }

    @Test
    void everyKnownActionGetsATierUnderEveryFormatAndSandbox() {
        for (String kind : KINDS) {
            for (String format : FORMATS) {
                for (boolean sandbox : List.of(false, true)) {
                    String tier = tier(kind, format, sandbox);
                    String action = kind + "/" + format + "/sandbox=" + sandbox;
                    assertThat(tier).as(action).isIn(TIERS);
                    if (!sandbox) {
                        assertThat(tier).as("%s: no sandbox tier without a sandbox", action).isNotEqualTo("sandbox");
                    }
                    if (PROCESS_STARTS.contains(kind)) {
                        assertThat(tier).as("%s: a process start never runs offline", action).isIn("defer", "sandbox");
                    }
                    if (format.equals("msi")) {
                        assertThat(tier).as("%s: nothing is confined or emulated for Windows yet", action).isIn("defer", "sandbox");
                    }
                }
            }
        }
    }

    @Test
    void rulesHaveDescriptionsForTheAdminWhoReadsTheAuditTrail() throws Exception {
        try (InputStream dmn = policy()) {
            assertThat(Dmn.readModelFromStream(dmn).getModelElementsByType(Rule.class))
                    .allSatisfy(rule -> {
                        assertThat(rule.getId()).matches("Rule_[A-Z][A-Za-z]+");
                        assertThat(rule.getDescription()).as(rule.getId()).isNotNull();
                        assertThat(rule.getDescription().getTextContent()).as(rule.getId()).isNotBlank();
                    });
        }
    }

    private String tier(String actionKind, String scriptFormat, boolean sandboxAvailable) {
        matchedRules.clear();
        return engine.evaluateDecisionTable(decision, Variables.createVariables()
                        .putValue("actionKind", actionKind)
                        .putValue("scriptFormat", scriptFormat)
                        .putValue("sandboxAvailable", sandboxAvailable))
                .getSingleResult()
                .getSingleEntry();
    }

    private static InputStream policy() {
        InputStream dmn = ActionPolicyTest.class.getResourceAsStream(RESOURCE);
        assertThat(dmn).as("%s on the class path", RESOURCE).isNotNull();
        return dmn;
    }
}
