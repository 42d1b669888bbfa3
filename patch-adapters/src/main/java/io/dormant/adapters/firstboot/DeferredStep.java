package io.dormant.adapters.firstboot;

/**
 * One step that needs a running system, kept for the first boot: which package and script phase
 * asked for it, why it was deferred, and the shell commands that perform it.
 */
public record DeferredStep(String packageName, String phase, String reason, String commands) {

    public DeferredStep {
        if (commands == null || commands.isBlank()) {
            throw new IllegalArgumentException("a deferred step of " + packageName + " needs commands");
        }
    }
}
