package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.deb.emulate.ScriptCall;
import io.dormant.adapters.deb.emulate.ScriptEmulation;
import io.dormant.adapters.deb.emulate.ScriptReader;
import io.dormant.adapters.patching.PhaseTimes;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulate tier for maintainer scripts: when every part of the script that a call would run is
 * in the action catalogue, and the policy puts each of its actions in the emulate tier (service
 * starts: defer), Dormant performs the actions itself and the script is not run.
 */
final class EmulateTier {

    private final ActionPolicy policy;
    private final PhaseTimes times;

    EmulateTier(ActionPolicy policy, PhaseTimes times) {
        this.policy = policy;
        this.times = times;
    }

    /**
     * Takes the script call when it can: then performs its actions, adds its report and its
     * deferred service starts, and answers null; otherwise answers why not, for the report.
     */
    String take(Path tree, String packageName, String script, byte[] bytes, List<String> args,
                            List<ScriptReport> reports, List<String> deferred) throws IOException {
        long start = System.nanoTime();
        RootedFiles image = new RootedFiles(tree);
        ScriptEmulation emulation = new ScriptReader(image).read(bytes, new ScriptCall(packageName, script, args));
        if (!emulation.isKnown()) {
            return "not emulated: " + emulation.unknown();
        }
        for (EmulatedAction action : emulation.actions()) {
            ActionTier tier = policy.tierFor(action.kind(), "deb", false);
            // A service start is never performed offline: it is deferred (or would run in a sandbox VM).
            boolean taken = action.isProcessStart() ? tier == ActionTier.DEFER || tier == ActionTier.SANDBOX
                    : tier == ActionTier.EMULATE;
            if (!taken) {
                return "not emulated: the action policy puts " + action.kind() + " in the " + tier.word() + " tier";
            }
        }
        List<String> steps = new ArrayList<>();
        for (EmulatedAction action : emulation.actions()) {
            if (action.isProcessStart()) {
                ActionTier tier = policy.tierFor(action.kind(), "deb", false);
                steps.add(action.description());
                deferred.add(packageName + "\t" + script + " " + String.join(" ", args) + "\t" + action.description()
                        + (tier == ActionTier.DEFER ? "" : "  # policy said " + tier.word()));
            } else {
                action.effect().perform(image);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        times.add("apply: scripts emulated", millis);
        reports.add(new ScriptReport(packageName, script, args, ActionTier.EMULATE.word(), 0, millis,
                emulation.actions().stream().filter(a -> !a.isProcessStart()).map(a -> a.kind() + ": " + a.description())
                        .toList(), steps, ""));
        return null;
    }
}
