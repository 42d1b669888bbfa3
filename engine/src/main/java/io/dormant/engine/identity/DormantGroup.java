package io.dormant.engine.identity;

import org.camunda.bpm.engine.authorization.Groups;

/** The roles of Dormant, kept as groups in Camunda's identity service. */
public enum DormantGroup {
    ADMINISTRATORS(Groups.CAMUNDA_ADMIN, "Camunda administrators", Groups.GROUP_TYPE_SYSTEM),
    IMAGE_ADMINS("image-admins", "Image administrators (approve patch runs)", Groups.GROUP_TYPE_WORKFLOW),
    OPERATORS("operators", "Operators (start campaigns, watch runs)", Groups.GROUP_TYPE_WORKFLOW),
    AUDITORS("auditors", "Auditors (read the audit trail)", Groups.GROUP_TYPE_WORKFLOW);

    private final String id;
    private final String displayName;
    private final String type;

    DormantGroup(String id, String displayName, String type) {
        this.id = id;
        this.displayName = displayName;
        this.type = type;
    }

    public String id() {
        return id;
    }

    String displayName() {
        return displayName;
    }

    String type() {
        return type;
    }
}
