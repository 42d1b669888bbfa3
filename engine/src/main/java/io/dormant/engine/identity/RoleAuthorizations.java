package io.dormant.engine.identity;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * What each role may do in Camunda's webapps, granted on every start where missing: image admins
 * decide approvals in Tasklist, operators watch runs and retry incidents in Cockpit, auditors read
 * history. And a Tasklist filter "Approvals", so that an admin who logs in sees what waits for them.
 */
@Component
class RoleAuthorizations {

    static final String APPROVALS_FILTER = "Approvals";

    private record Grant(Resource resource, String resourceId, Permission... permissions) {
    }

    private static final Map<DormantGroup, List<Grant>> GRANTS = Map.of(
            DormantGroup.IMAGE_ADMINS, List.of(
                    new Grant(Resources.APPLICATION, "tasklist", Permissions.ACCESS),
                    new Grant(Resources.APPLICATION, "cockpit", Permissions.ACCESS),
                    new Grant(Resources.TASK, Authorization.ANY, Permissions.READ, Permissions.UPDATE),
                    new Grant(Resources.FILTER, Authorization.ANY, Permissions.READ),
                    new Grant(Resources.PROCESS_DEFINITION, Authorization.ANY, Permissions.READ, Permissions.READ_INSTANCE,
                            Permissions.READ_HISTORY, Permissions.READ_TASK, ProcessDefinitionPermissions.READ_INSTANCE_VARIABLE),
                    new Grant(Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.READ)),
            DormantGroup.OPERATORS, List.of(
                    new Grant(Resources.APPLICATION, "cockpit", Permissions.ACCESS),
                    new Grant(Resources.APPLICATION, "tasklist", Permissions.ACCESS),
                    new Grant(Resources.FILTER, Authorization.ANY, Permissions.READ),
                    new Grant(Resources.DEPLOYMENT, Authorization.ANY, Permissions.READ),
                    new Grant(Resources.DECISION_DEFINITION, Authorization.ANY, Permissions.READ, Permissions.READ_HISTORY),
                    new Grant(Resources.PROCESS_DEFINITION, Authorization.ANY, Permissions.READ, Permissions.READ_INSTANCE,
                            Permissions.READ_HISTORY, Permissions.UPDATE_INSTANCE, Permissions.READ_TASK,
                            ProcessDefinitionPermissions.READ_INSTANCE_VARIABLE),
                    new Grant(Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.READ, Permissions.UPDATE)),
            DormantGroup.AUDITORS, List.of(
                    new Grant(Resources.APPLICATION, "cockpit", Permissions.ACCESS),
                    new Grant(Resources.PROCESS_DEFINITION, Authorization.ANY, Permissions.READ, Permissions.READ_HISTORY),
                    new Grant(Resources.DECISION_DEFINITION, Authorization.ANY, Permissions.READ, Permissions.READ_HISTORY)));

    private final AuthorizationService authorizations;
    private final FilterService filters;
    private final TaskService tasks;

    RoleAuthorizations(AuthorizationService authorizations, FilterService filters, TaskService tasks) {
        this.authorizations = authorizations;
        this.filters = filters;
        this.tasks = tasks;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Order(10)
    void grantWhereMissing() {
        GRANTS.forEach((group, grants) -> grants.forEach(grant -> grant(group.id(), grant)));
        if (filters.createFilterQuery().filterName(APPROVALS_FILTER).count() == 0) {
            Filter filter = filters.newTaskFilter(APPROVALS_FILTER)
                    .setOwner("admin")
                    .setQuery(tasks.createTaskQuery().taskCandidateGroup(DormantGroup.IMAGE_ADMINS.id()).includeAssignedTasks())
                    .setProperties(Map.of("description", "Patch results and campaign plans waiting for an image admin",
                            "priority", -10, "refresh", true));
            filters.saveFilter(filter);
        }
    }

    private void grant(String group, Grant grant) {
        boolean present = authorizations.createAuthorizationQuery().groupIdIn(group).resourceType(grant.resource())
                .resourceId(grant.resourceId()).count() > 0;
        if (present) {
            return;
        }
        Authorization authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setGroupId(group);
        authorization.setResource(grant.resource());
        authorization.setResourceId(grant.resourceId());
        for (Permission permission : grant.permissions()) {
            authorization.addPermission(permission);
        }
        authorizations.saveAuthorization(authorization);
    }
}
