package io.dormant.adapters.deb.php;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.rootfs.KnownFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code phpenmod} and {@code phpdismod} (php-common, one shell script that acts by the name it is
 * called by), answered while a script runs confined: they link a PHP module's ini into a SAPI's
 * {@code conf.d} or remove that link, and record who did it under {@code /var/lib/php/modules}.
 * PHP's maintainer scripts call them for every module and SAPI ({@code php_invoke} of
 * php-maintscript-helper), 95 times in trixie's PHP 8.4 update, and each run forks some twenty
 * commands (about 0.1 s here).
 *
 * <p>Followed for php-common's phpenmod, phpquery and php-helper of bookworm and trixie (by their
 * hashes), by the script's own steps: for each module, version ({@code -v}, or every installed
 * one) and SAPI ({@code -s}, or every one of the version), the module's state as phpquery reads it
 * ({@link PhpQuery}), then the link ({@code ln -s} of {@code mods-available/M.ini} as
 * {@code conf.d/P-M.ini}, P the ini's priority) and the state file ({@code enabled_by_maint} with
 * {@code -m}, {@code enabled_by_admin} without; the others removed), and with {@code -r} the
 * registry file; the same for disabling, with its warnings on standard error. Anything else runs
 * the image's command: {@code -p} (purge), options it would refuse, a version or SAPI phpquery
 * would refuse, a module named twice or not a plain word, something other than a file or link
 * where the script would remove or create one.
 */
public final class PhpModules implements HelperCalls {

    static final String ENABLE = "phpenmod";
    static final String DISABLE = "phpdismod";
    private static final Map<String, String> KNOWN = Map.of(
            "/usr/sbin/phpenmod", "6387761716172daa06f6732fcc41997ee640ec7c2c4da6907ac62d9153983986");
    private static final String STATE = "/var/lib/php/modules/";

    private final BooleanSupplier emulated;

    /** @param emulated whether the action policy puts php-module in the emulate tier */
    public PhpModules(BooleanSupplier emulated) {
        this.emulated = emulated;
    }

    @Override
    public Set<String> commands() {
        return Set.of(ENABLE, DISABLE);
    }

    @Override
    public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
        if (!emulated.getAsBoolean()) {
            return Optional.empty();
        }
        RootedFiles image = new RootedFiles(root);
        Optional<Call> parsed = Call.parse(call.command().equals(ENABLE), call.args());
        if (parsed.isEmpty() || !PhpQuery.known(image) || KnownFiles.firstDiffering(image, KNOWN).isPresent()) {
            return Optional.empty();
        }
        Optional<List<ModuleStep>> steps = parsed.get().steps(image);
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder stderr = new StringBuilder();
        List<String> done = new ArrayList<>();
        for (ModuleStep step : steps.get()) {
            step.perform(image, stderr);
            done.add(step.describe());
        }
        return Optional.of(new HelperReply(0, "", stderr.toString(), call.command() + " " + String.join(" ", call.args())
                + ": " + (done.isEmpty() ? "nothing to do" : String.join(", ", done))));
    }

    /** One command line, as the script's getopts reads it; only separate options are followed. */
    private record Call(boolean enable, List<String> versions, List<String> sapis, List<String> modules,
                        boolean maintainer, boolean register) {

        static Optional<Call> parse(boolean enable, List<String> args) {
            List<String> versions = new ArrayList<>();
            List<String> sapis = new ArrayList<>();
            boolean maintainer = false;
            boolean register = false;
            int i = 0;
            for (; i < args.size() && args.get(i).startsWith("-"); i++) {
                switch (args.get(i)) {
                    case "-m" -> maintainer = true;
                    case "-r" -> register = true;
                    case "-q", "-f" -> { }
                    case "-v", "-s" -> {
                        if (i + 1 >= args.size() || !PhpQuery.WORD.matcher(args.get(i + 1)).matches()) {
                            return Optional.empty();
                        }
                        List<String> into = args.get(i).equals("-v") ? versions : sapis;
                        String value = args.get(++i);
                        if (into.contains("ALL") || (value.equals("ALL") && !into.isEmpty())) {
                            return Optional.empty(); // the script's usage
                        }
                        into.add(value);
                    }
                    default -> {
                        return Optional.empty(); // -p (purge), --, clustered or unknown options
                    }
                }
            }
            List<String> modules = new ArrayList<>();
            for (String arg : args.subList(i, args.size())) {
                String module = arg.contains("/") ? arg.substring(0, arg.indexOf('/')) : arg;
                if (!PhpQuery.WORD.matcher(module).matches() || modules.contains(module)) {
                    return Optional.empty();
                }
                modules.add(module);
            }
            if (modules.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Call(enable, versions.isEmpty() ? List.of("ALL") : versions,
                    sapis.isEmpty() ? List.of("ALL") : sapis, modules, maintainer, register));
        }

        /** Every step in the script's order, read before any is made; empty where the script is not followed. */
        Optional<List<ModuleStep>> steps(RootedFiles image) throws IOException {
            List<ModuleStep> steps = new ArrayList<>();
            Set<String> touched = new HashSet<>();
            for (String module : modules) {
                Optional<List<String>> versionList = versions.equals(List.of("ALL")) ? listed(PhpQuery.Query.listVersions(image))
                        : Optional.of(versions);
                if (versionList.isEmpty() || versionList.get().isEmpty()) {
                    return Optional.empty();
                }
                for (String version : versionList.get()) {
                    PhpQuery.Query versionQuery = new PhpQuery.Query("list_sapi", version, "", "", true);
                    if (!versionQuery.versionInstalled(image)) {
                        return Optional.empty();
                    }
                    Optional<List<String>> sapiList = sapis.equals(List.of("ALL")) ? listed(versionQuery.listSapis(image))
                            : Optional.of(sapis);
                    if (sapiList.isEmpty()) {
                        return Optional.empty();
                    }
                    for (String sapi : sapiList.get()) {
                        if (!touched.add(version + "/" + sapi + "/" + module)) {
                            return Optional.empty();
                        }
                        Optional<List<ModuleStep>> one = enable ? enable(image, version, sapi, module) : disable(image, version, sapi, module);
                        if (one.isEmpty()) {
                            return Optional.empty();
                        }
                        steps.addAll(one.get());
                    }
                    if (enable && register) {
                        if (!creatable(image, STATE + version + "/registry")) {
                            return Optional.empty();
                        }
                        steps.add(new ModuleStep.Touch(registry(version, module)));
                    }
                }
                if (!enable && register) {
                    // The script removes the registry file of the last version its loop saw.
                    String last = versionList.get().get(versionList.get().size() - 1);
                    if (!removable(image, registry(last, module))) {
                        return Optional.empty();
                    }
                    steps.add(new ModuleStep.Remove(registry(last, module)));
                }
            }
            return Optional.of(steps);
        }

        private static Optional<List<String>> listed(Optional<PhpQuery.Answer> answer) {
            return answer.map(a -> a.output().lines().toList());
        }

        private static String registry(String version, String module) {
            return STATE + version + "/registry/" + module;
        }

        private Optional<List<ModuleStep>> enable(RootedFiles image, String version, String sapi, String module) throws IOException {
            Optional<Module> found = Module.of(image, version, sapi, module);
            if (found.isEmpty() || !found.get().exists()) {
                return found.map(missing -> List.of(missingIni(version, module)));
            }
            Module m = found.get();
            switch (m.state()) {
                case 0, 1, 33 -> { }
                case 32 -> {
                    if (maintainer) {
                        return Optional.of(List.of(
                                new ModuleStep.Warning("Not enabling the " + module + " module for PHP " + version + " " + sapi
                                        + " SAPI since the module"),
                                new ModuleStep.Warning("was disabled by local administrator.")));
                    }
                }
                case 34 -> {
                    return Optional.of(List.of(
                            new ModuleStep.Warning("Not enabling the " + module + " module for PHP " + version + " " + sapi
                                    + " SAPI since module symlink"),
                            new ModuleStep.Warning("already exists in /etc/php/" + version + "/" + sapi + "/conf.d with different content.")));
                }
                default -> {
                    return Optional.empty();
                }
            }
            List<ModuleStep> steps = new ArrayList<>();
            if (!Files.isDirectory(image.resolve("/etc/php/" + version + "/" + sapi + "/conf.d", true))) {
                return Optional.of(List.of(new ModuleStep.Warning("Directory /etc/php/" + version + "/" + sapi
                        + "/conf.d doesn't exist, not enabling the module")));
            }
            Path link = image.resolve(m.liveLink(), false);
            if (!Files.isSymbolicLink(link)) {
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty(); // ln -s would fail and say so
                }
                steps.add(new ModuleStep.Link(m.liveLink(), m.source()));
            }
            return recordState(image, steps, "enabled", version, sapi, module);
        }

        private Optional<List<ModuleStep>> disable(RootedFiles image, String version, String sapi, String module) throws IOException {
            Optional<Module> found = Module.of(image, version, sapi, module);
            if (found.isEmpty() || !found.get().exists()) {
                return found.map(missing -> List.of(missingIni(version, module)));
            }
            Module m = found.get();
            switch (m.state()) {
                case 0, 1, 32, 33 -> { }
                case 34 -> {
                    return Optional.of(List.of(
                            new ModuleStep.Warning("Not disabling module " + module + " for " + sapi + " SAPI.  The configuration was"),
                            new ModuleStep.Warning("modified by local administrator.")));
                }
                default -> {
                    return Optional.empty();
                }
            }
            List<ModuleStep> steps = new ArrayList<>();
            if (Files.isDirectory(image.resolve("/etc/php/" + version + "/" + sapi + "/conf.d", true))
                    && Files.isSymbolicLink(image.resolve(m.liveLink(), false))) {
                steps.add(new ModuleStep.Remove(m.liveLink()));
            }
            return recordState(image, steps, "disabled", version, sapi, module);
        }

        private static ModuleStep missingIni(String version, String module) {
            return new ModuleStep.Warning("Module " + module + " ini file doesn't exist under /etc/php/" + version + "/mods-available");
        }

        /** php-helper's record_state, after a step that returned 0. */
        private Optional<List<ModuleStep>> recordState(RootedFiles image, List<ModuleStep> steps, String action, String version,
                                                 String sapi, String module) throws IOException {
            String dir = new PhpQuery.Query("check_mod", version, sapi, module, true).stateDir() + "/";
            String admin = dir + action + "_by_admin/" + module;
            String maint = dir + action + "_by_maint/" + module;
            List<String> all = List.of(dir + "disabled_by_admin/" + module, dir + "disabled_by_maint/" + module,
                    dir + "enabled_by_admin/" + module, dir + "enabled_by_maint/" + module);
            for (String path : all) {
                if (!removable(image, path)) {
                    return Optional.empty();
                }
            }
            String mine = maintainer ? maint : admin;
            if (!creatable(image, mine.substring(0, mine.lastIndexOf('/')))) {
                return Optional.empty();
            }
            if (Files.exists(image.resolve(admin, true))) {
                return Optional.of(steps);
            }
            if (Files.exists(image.resolve(maint, true)) && maintainer) {
                return Optional.of(steps);
            }
            for (String path : all) {
                if (Files.exists(image.resolve(path, false), LinkOption.NOFOLLOW_LINKS)) {
                    steps.add(new ModuleStep.Remove(path));
                }
            }
            steps.add(new ModuleStep.Touch(mine));
            return Optional.of(steps);
        }

        /** A directory, or one {@code mkdir -p} can make: the first part that exists is a directory. */
        private static boolean creatable(RootedFiles image, String directory) throws IOException {
            for (String at = directory; !at.isEmpty(); at = at.substring(0, at.lastIndexOf('/'))) {
                Path resolved = image.resolve(at, true);
                if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
                    return Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS);
                }
            }
            return true;
        }

        /** Absent, or something {@code rm -f} removes: not a directory, under directories that are directories. */
        private static boolean removable(RootedFiles image, String path) throws IOException {
            Path resolved;
            try {
                resolved = image.resolve(path, false);
            } catch (IOException e) {
                return false;
            }
            return !Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** A module's files for one version and SAPI, and its state as phpquery reports it. */
    private record Module(boolean exists, int state, String liveLink, String source) {

        static Optional<Module> of(RootedFiles image, String version, String sapi, String module) throws IOException {
            PhpQuery.Query query = new PhpQuery.Query("check_mod", version, sapi, module, true);
            if (!query.versionInstalled(image) || !query.sapiInstalled(image)) {
                return Optional.empty();
            }
            Path source = image.resolve(query.source(), true);
            if (!Files.exists(source)) {
                return Optional.of(new Module(false, 1, "", query.source()));
            }
            Optional<String> priority = PhpQuery.Query.priority(source);
            if (priority.isEmpty()) {
                return Optional.empty();
            }
            String liveLink = query.liveLink(priority.get());
            return Optional.of(new Module(true, query.linkState(image, liveLink).exitCode(), liveLink, query.source()));
        }
    }
}
