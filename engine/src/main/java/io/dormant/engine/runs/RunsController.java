package io.dormant.engine.runs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Patch runs: one image, one workflow each; started alone or by a campaign. */
@RestController
@RequestMapping("/api/runs")
@Tag(name = "runs", description = "Patch runs of single images")
class RunsController {

    record StartRequest(String image, List<String> patches, Boolean approval) {
    }

    /** A run with its readable report and, when it is stuck, the incident that holds it. */
    record RunDetail(PatchRun run, String report, List<String> incidents) {
    }

    private final PatchRuns runs;
    private final PatchRunStarter starter;
    private final RuntimeService runtime;

    RunsController(PatchRuns runs, PatchRunStarter starter, RuntimeService runtime) {
        this.runs = runs;
        this.starter = starter;
        this.runtime = runtime;
    }

    @GetMapping
    @Operation(summary = "The newest patch runs, newest first")
    List<PatchRun> recent(@RequestParam(defaultValue = "50") int limit) {
        return runs.recent(Math.min(Math.max(limit, 1), 1000));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One run, its report and its incidents")
    RunDetail run(@PathVariable long id) throws java.io.IOException {
        PatchRun run = runs.get(id);
        String report = runs.report(id);
        List<String> incidents = run.processInstanceId() == null ? List.of() : runtime.createIncidentQuery()
                .processInstanceId(run.processInstanceId()).list().stream()
                .map(i -> i.getActivityId() + ": " + i.getIncidentMessage()).toList();
        String text = null;
        if (report != null) {
            var stored = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(report);
            text = stored.path("plan").asText("") + stored.path("outcome").asText("");
        }
        return new RunDetail(run, text, incidents);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start patch-image for one image with package files on the engine's machine")
    PatchRun start(@RequestBody StartRequest request, Principal user) {
        return starter.start(request.image(), request.patches(), !Boolean.FALSE.equals(request.approval()), user.getName());
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a run: its workflow is deleted and a staged result dropped")
    PatchRun cancel(@PathVariable long id, Principal user) {
        PatchRun run = runs.get(id);
        if (run.active() && run.processInstanceId() != null
                && runtime.createProcessInstanceQuery().processInstanceId(run.processInstanceId()).count() > 0) {
            runtime.deleteProcessInstance(run.processInstanceId(), "cancelled by " + user.getName());
        }
        return runs.get(id);
    }
}
