package io.dormant.engine.approvals;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.dormant.engine.identity.DormantGroup;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.task.Task;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Approval tasks, the same ones Tasklist shows: list, approve, reject. Completing runs as the
 * calling user, so that Camunda's authorizations and the four-eyes rule hold here as in Tasklist.
 */
@RestController
@RequestMapping("/api/tasks")
@Tag(name = "tasks", description = "Approvals waiting for an image admin")
class TasksController {

    record Decision(String comment) {
    }

    /** An approval task: what to decide, about which run, and the report or plan to read first. */
    record ApprovalTask(String id, String name, Instant created, String assignee, String starter, String image,
                        Long runId, Long campaignRunId, String text) {
    }

    private final TaskService tasks;
    private final IdentityService identity;

    TasksController(TaskService tasks, IdentityService identity) {
        this.tasks = tasks;
        this.identity = identity;
    }

    @GetMapping
    @Operation(summary = "Open approval tasks, oldest first")
    List<ApprovalTask> open() {
        return tasks.createTaskQuery().taskCandidateGroup("image-admins").includeAssignedTasks()
                .orderByTaskCreateTime().asc().list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One approval task")
    ApprovalTask one(@PathVariable String id) {
        return view(task(id));
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve: the staged result becomes a version, or the campaign plan goes ahead")
    ApprovalTask approve(@PathVariable String id, @RequestBody(required = false) Decision decision, Principal user) {
        return decide(id, true, decision, user);
    }

    @PostMapping("/{id}/reject")
    @Operation(summary = "Reject: the staged result is dropped, or the campaign run ends")
    ApprovalTask reject(@PathVariable String id, @RequestBody(required = false) Decision decision, Principal user) {
        return decide(id, false, decision, user);
    }

    @ExceptionHandler(ProcessEngineException.class)
    ProblemDetail refused(ProcessEngineException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    private ApprovalTask decide(String id, boolean approved, Decision decision, Principal user) {
        ApprovalTask view = view(task(id));
        List<String> groups = identity.createGroupQuery().groupMember(user.getName()).list().stream().map(Group::getId).toList();
        if (!groups.contains(DormantGroup.IMAGE_ADMINS.id())) {
            throw new ProcessEngineException("user " + user.getName() + " is not in the group image-admins and may not"
                    + " decide approvals");
        }
        identity.setAuthentication(user.getName(), groups);
        try {
            tasks.complete(id, Map.of(FourEyes.APPROVED, approved,
                    FourEyes.COMMENT, decision == null || decision.comment() == null ? "" : decision.comment()));
        } finally {
            identity.clearAuthentication();
        }
        return view;
    }

    private Task task(String id) {
        Task task = tasks.createTaskQuery().taskId(id).singleResult();
        if (task == null) {
            throw new IllegalArgumentException("there is no open task " + id + "; see 'dormant task list'");
        }
        return task;
    }

    private ApprovalTask view(Task task) {
        Map<String, Object> vars = tasks.getVariables(task.getId());
        Object text = vars.containsKey("report") ? vars.get("report") : vars.get("plan");
        return new ApprovalTask(task.getId(), task.getName(), task.getCreateTime().toInstant(), task.getAssignee(),
                (String) vars.get("starter"), (String) vars.get("image"), (Long) vars.get("runId"),
                (Long) vars.get("campaignRunId"), text == null ? null : text.toString());
    }
}
