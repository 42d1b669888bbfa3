package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The action catalogue's helpers, answered call by call while a script runs confined: the calls of
 * {@code deb-systemd-helper} and {@code dpkg-maintscript-helper} that the emulate tier follows, with
 * the effect, exit code and messages of the real tools. Anything else (another verb, an option, a
 * debug variable, a case the emulation does not follow) runs the image's own command.
 */
public final class EmulatedHelpers implements HelperCalls {

    static final String DEB_SYSTEMD_HELPER = "deb-systemd-helper";
    static final String MAINTSCRIPT_HELPER = "dpkg-maintscript-helper";
    private final Predicate<String> emulated;

    /** @param emulated whether the action policy puts an action kind ("enable-unit", …) in the emulate tier */
    public EmulatedHelpers(Predicate<String> emulated) {
        this.emulated = emulated;
    }

    @Override
    public Set<String> commands() {
        return Set.of(DEB_SYSTEMD_HELPER, MAINTSCRIPT_HELPER);
    }

    @Override
    public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
        if (call.env("DPKG_MAINTSCRIPT_PACKAGE").isEmpty() || !call.env("DPKG_ROOT").isEmpty()
                || !call.env("DPKG_MAINTSCRIPT_DEBUG").isEmpty()) {
            return Optional.empty();
        }
        RootedFiles image = new RootedFiles(root);
        return switch (call.command()) {
            case DEB_SYSTEMD_HELPER -> systemdHelper(image, call);
            case MAINTSCRIPT_HELPER -> maintscriptHelper(image, call);
            default -> Optional.empty();
        };
    }

    private Optional<HelperReply> systemdHelper(RootedFiles image, HelperCall call) throws IOException {
        if (call.environment().containsKey("_DEB_SYSTEMD_HELPER_DEBUG")
                || call.environment().containsKey("_DEB_SYSTEMD_HELPER_PURGE")) {
            return Optional.empty();
        }
        List<String> args = call.args();
        boolean quiet = false;
        int at = 0;
        for (; at < args.size() && args.get(at).startsWith("-"); at++) {
            switch (args.get(at)) {
                case "--quiet" -> quiet = true;
                case "--system" -> { }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (at == args.size()) {
            return Optional.empty();
        }
        String verb = args.get(at);
        List<String> units = args.subList(at + 1, args.size());
        // The tool takes options anywhere (Getopt's permute); only the plain order is followed here.
        if (units.stream().anyMatch(u -> u.startsWith("-") || u.isEmpty() || u.contains("/"))) {
            return Optional.empty();
        }
        DebSystemdHelper helper = new DebSystemdHelper(image);
        String described = DebSystemdHelper.describe(verb, units);
        switch (verb) {
            case "was-enabled", "debian-installed" -> {
                boolean any = false;
                StringBuilder stderr = new StringBuilder();
                for (String unit : units) {
                    boolean yes = verb.equals("was-enabled") ? helper.wasEnabled(unit) : helper.debianInstalled(unit);
                    any |= yes;
                    if (verb.equals("was-enabled") && !quiet) {
                        stderr.append(yes ? "enabled\n" : "disabled\n");
                    }
                }
                return Optional.of(HelperReply.exit(any ? 0 : 1, stderr.toString(), described + ": " + (any ? "yes" : "no")));
            }
            case "update-state", "enable", "unmask" -> {
                Optional<List<EmulatedAction>> actions = new ActionCatalogue(image).unitActions(verb, units);
                if (actions.isEmpty() || actions.get().stream().anyMatch(a -> !emulated.test(a.kind()))) {
                    return Optional.empty();
                }
                for (EmulatedAction action : actions.get()) {
                    action.effect().perform(image);
                }
                return Optional.of(HelperReply.done(described + (verb.equals("unmask") ? ": not masked" : "")));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<HelperReply> maintscriptHelper(RootedFiles image, HelperCall call) throws IOException {
        if (!emulated.test(ActionCatalogue.MAINTSCRIPT_HELPER)) {
            return Optional.empty();
        }
        List<String> args = call.args();
        int dashes = args.indexOf("--");
        if (dashes < 2 || call.env("DPKG_MAINTSCRIPT_NAME").isEmpty()) {
            return Optional.empty();
        }
        ScriptCall script = new ScriptCall(call.env("DPKG_MAINTSCRIPT_PACKAGE"), call.env("DPKG_MAINTSCRIPT_NAME"),
                args.subList(dashes + 1, args.size()));
        return new MaintscriptHelper(image).nothingToDo(args.get(0), args.subList(1, dashes), script)
                .map(HelperReply::done);
    }
}
