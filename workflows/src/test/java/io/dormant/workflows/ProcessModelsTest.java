package io.dormant.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped processes are valid BPMN with Camunda's extensions, every element has a shape (so
 * Cockpit can draw where a run stands), ids read as words, and every service task is an async
 * step with a delegate, so that a failure is retried and becomes an incident on that step.
 */
class ProcessModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"patch-image", "patch-campaign", "campaign-schedule"})
    void isValidDrawnAndMadeOfRetriableSteps(String key) throws Exception {
        BpmnModelInstance model;
        try (InputStream in = getClass().getResourceAsStream("/" + key + ".bpmn")) {
            model = Bpmn.readModelFromStream(in);
        }
        Bpmn.validateModel(model);

        Process process = model.getModelElementsByType(Process.class).iterator().next();
        assertThat(process.getId()).isEqualTo(key);
        assertThat(process.isExecutable()).isTrue();
        List<String> drawn = model.getModelElementsByType(BpmnShape.class).stream().map(s -> s.getBpmnElement().getId()).toList();
        for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
            assertThat(drawn).as("shape of " + node.getId()).contains(node.getId());
            assertThat(node.getId()).matches("[A-Z][A-Za-z]+_[A-Z][A-Za-z]+");
            assertThat(node.getName()).as("name of " + node.getId()).isNotBlank();
        }
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            assertThat(task.isCamundaAsyncBefore()).as(task.getId()).isTrue();
            assertThat(task.getCamundaDelegateExpression()).as(task.getId()).matches("\\$\\{[a-zA-Z]+Delegate}");
        }
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            assertThat(task.getCamundaCandidateGroups()).isEqualTo("image-admins");
        }
    }
}
