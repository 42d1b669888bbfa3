package io.dormant.adapters.policy;

import java.util.Set;

/** The rules of workflows/action-policy.dmn in Java, for callers that run without a DMN engine. */
public final class DefaultActionPolicy implements ActionPolicy {

    private static final Set<String> EMULATED = Set.of("add-user", "enable-unit", "alternatives", "ldconfig", "trigger",
            "file-mode");
    private static final Set<String> DEB_ONLY = Set.of("debconf", "maintscript-helper", UCF, BYTECODE_CLEANUP);

    @Override
    public ActionTier tierFor(String actionKind, String format, boolean sandboxAvailable) {
        if (SERVICE_RESTART.equals(actionKind)) {
            return ActionTier.DEFER;
        }
        if (SERVICE_START.equals(actionKind)) {
            return sandboxAvailable ? ActionTier.SANDBOX : ActionTier.DEFER;
        }
        boolean linux = "deb".equals(format) || "rpm".equals(format);
        if (linux && (EMULATED.contains(actionKind) || (DEB_ONLY.contains(actionKind) && "deb".equals(format)))) {
            return ActionTier.EMULATE;
        }
        return linux ? ActionTier.CONFINE : ActionTier.DEFER;
    }
}
