package io.dormant.adapters.deb.apply;

import java.util.List;

/**
 * One maintainer script call: which, with what arguments, the tier that took it, how it ended,
 * the actions Dormant performed in its place when it was emulated, and the process-starting steps
 * it asked for that were deferred to first boot.
 */
public record ScriptReport(String packageName, String script, List<String> args, String tier, int exitCode,
                           long millis, List<String> actions, List<String> deferred, String output) {
}
