package io.dormant.engine.identity;

import java.security.SecureRandom;
import java.util.Base64;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On the very first start there is nobody to log in as, so Dormant creates the groups of its roles
 * and one administrator. The password comes from {@code DORMANT_ADMIN_PASSWORD} or is generated
 * and printed once; it is never stored in clear anywhere.
 */
@Component
class FirstAdminAccount {

    static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(FirstAdminAccount.class);

    private final IdentityService identityService;
    private final AuthorizationService authorizationService;
    private final String configuredPassword;

    FirstAdminAccount(IdentityService identityService, AuthorizationService authorizationService,
                      @Value("${DORMANT_ADMIN_PASSWORD:}") String configuredPassword) {
        this.identityService = identityService;
        this.authorizationService = authorizationService;
        this.configuredPassword = configuredPassword;
    }

    @EventListener(ApplicationStartedEvent.class)
    void createWhenMissing() {
        for (DormantGroup group : DormantGroup.values()) {
            createGroup(group.id(), group.displayName(), group.type());
        }
        if (identityService.createUserQuery().count() > 0) {
            return;
        }
        boolean generated = configuredPassword.isBlank();
        String password = generated ? generatePassword() : configuredPassword;
        User admin = identityService.newUser(ADMIN);
        admin.setFirstName("Dormant");
        admin.setLastName("Administrator");
        admin.setPassword(password);
        identityService.saveUser(admin);
        identityService.createMembership(ADMIN, Groups.CAMUNDA_ADMIN);
        identityService.createMembership(ADMIN, DormantGroup.IMAGE_ADMINS.id());
        identityService.createMembership(ADMIN, DormantGroup.OPERATORS.id());
        grantAllToAdministrators();
        if (generated) {
            // Printed, not logged: it is shown once to whoever started the engine and never again.
            System.out.println("\n  First start: created user '" + ADMIN + "' with password  " + password
                    + "\n  Log in at /camunda/app/ and change it (Admin > Users). This is shown only once.\n");
        } else {
            log.info("Created user '{}' with the password from DORMANT_ADMIN_PASSWORD", ADMIN);
        }
    }

    private void createGroup(String id, String name, String type) {
        if (identityService.createGroupQuery().groupId(id).count() > 0) {
            return;
        }
        Group group = identityService.newGroup(id);
        group.setName(name);
        group.setType(type);
        identityService.saveGroup(group);
    }

    private void grantAllToAdministrators() {
        for (Resource resource : Resources.values()) {
            if (authorizationService.createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN)
                    .resourceType(resource).resourceId(Authorization.ANY).count() > 0) {
                continue;
            }
            Authorization all = authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            all.setGroupId(Groups.CAMUNDA_ADMIN);
            all.setResource(resource);
            all.setResourceId(Authorization.ANY);
            all.addPermission(Permissions.ALL);
            authorizationService.saveAuthorization(all);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
