package io.dormant.adapters.deb.php;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.rootfs.KnownFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code phpquery} (php-common), answered while a script runs confined. It only reads: whether a
 * PHP module is enabled for a SAPI, and which PHP versions and SAPIs are installed. PHP's
 * maintainer scripts ask it for every module and SAPI they touch ({@code php_invoke} of
 * php-maintscript-helper, and {@code phpenmod} for each of its own steps), a few hundred times in
 * one PHP update, and each run of the shell script forks some fifteen commands (sed, readlink,
 * find, expr): 40-70 ms here, most of a PHP update's script time. Answering it changes nothing in
 * the image, so it is not an action the policy decides on.
 *
 * <p>Followed for the phpquery and php-helper of php-common 2:93 to 2:96 (bookworm, trixie), by
 * their hashes: {@code -V} (the versions), {@code -S -v V} (the SAPIs of a version), {@code -v V
 * [-s S [-m M]]} (a version, a SAPI, a module's state with phpquery's exit codes 0, 1, 32, 33,
 * 34), each with or without {@code -q} and {@code -d}. Anything else runs the image's own
 * phpquery: other options or arguments, {@code -M}, a version or SAPI it would refuse with its
 * usage text, names other than plain words, a module file with more than one priority line.
 */
public final class PhpQuery implements HelperCalls {

    static final String COMMAND = "phpquery";
    /** php-common 2:93 (bookworm) and 2:96 (trixie) ship the same two files. */
    private static final Map<String, String> KNOWN = Map.of(
            "/usr/sbin/phpquery", "0e9daa717d1af9b4e069c1976e0aad9cb07141b26b7b9a680009fe322e1e0c89",
            "/usr/lib/php/php-helper", "72445eb0e4d94093f9f5b78038370b01741222cb7498f15ccb5cf8d476dbd83a");
    /** Names the script's unquoted expansions and sed see as written. */
    static final Pattern WORD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");
    private static final Pattern VERSION_ENTRY = Pattern.compile(".*[0-9]\\.[0-9]");
    private static final Pattern PLAIN_VERSION = Pattern.compile("[0-9]+\\.[0-9]+");
    /** php-helper's get_priority: {@code ; priority = N} ({@code [[:space:]]} in the C locale). */
    private static final Pattern PRIORITY = Pattern.compile("^;[ \\t\\n\\x0B\\f\\r]*priority[ \\t\\n\\x0B\\f\\r]*="
            + "[ \\t\\n\\x0B\\f\\r]*([0-9]+)[ \\t\\n\\x0B\\f\\r]*$");
    private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");

    @Override
    public Set<String> commands() {
        return Set.of(COMMAND);
    }

    @Override
    public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
        RootedFiles image = new RootedFiles(root);
        Optional<Query> query = Query.parse(call.args());
        if (query.isEmpty() || !known(image)) {
            return Optional.empty();
        }
        Optional<Answer> answer = query.get().answer(image);
        return answer.map(a -> new HelperReply(a.exitCode(), query.get().silenced() ? "" : a.output(), "",
                "phpquery " + String.join(" ", call.args()) + ": " + a.summary()));
    }

    /** Whether the image's phpquery and php-helper are the ones followed here. */
    static boolean known(RootedFiles image) throws IOException {
        return KnownFiles.firstDiffering(image, KNOWN).isEmpty();
    }

    /** What phpquery would print (unless quiet) and exit with. */
    record Answer(int exitCode, String output, String summary) {

        static Answer line(int exitCode, String line, String summary) {
            return new Answer(exitCode, line + "\n", summary);
        }
    }

    /** One command line, as phpquery's getopts reads it; only separate options are followed. */
    record Query(String action, String version, String sapi, String module, boolean quiet) {

        /** -q silences the checks; the lists are echoed whatever it says. */
        boolean silenced() {
            return quiet && action.startsWith("check_");
        }

        static Optional<Query> parse(List<String> args) {
            String action = null;
            String version = "";
            String sapi = "";
            String module = "";
            boolean quiet = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "-q" -> quiet = true;
                    case "-d" -> { }
                    case "-V", "-S" -> {
                        if (action != null) {
                            return Optional.empty();
                        }
                        action = arg.equals("-V") ? "list_version" : "list_sapi";
                    }
                    case "-v", "-s", "-m" -> {
                        if (i + 1 >= args.size() || !WORD.matcher(args.get(i + 1)).matches()) {
                            return Optional.empty();
                        }
                        String value = args.get(++i);
                        switch (arg) {
                            case "-v" -> version = value;
                            case "-s" -> sapi = value;
                            default -> module = value;
                        }
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            if (action == null) {
                action = !module.isEmpty() ? "check_mod" : !sapi.isEmpty() ? "check_sapi"
                        : !version.isEmpty() ? "check_version" : null;
            }
            return action == null ? Optional.empty() : Optional.of(new Query(action, version, sapi, module, quiet));
        }

        /** Empty where phpquery would print its usage, or the case is not followed. */
        Optional<Answer> answer(RootedFiles image) throws IOException {
            return switch (action) {
                case "list_version" -> listVersions(image);
                case "list_sapi" -> version.isEmpty() || !versionInstalled(image) ? Optional.empty() : listSapis(image);
                case "check_version" -> Optional.of(versionInstalled(image)
                        ? Answer.line(0, sapi, "installed") : new Answer(1, "", "not installed"));
                case "check_sapi" -> {
                    if (version.isEmpty() || !versionInstalled(image)) {
                        yield Optional.empty();
                    }
                    yield Optional.of(sapiInstalled(image) ? Answer.line(0, sapi, "installed") : new Answer(1, "", "not installed"));
                }
                case "check_mod" -> {
                    if (version.isEmpty() || sapi.isEmpty() || !versionInstalled(image) || !sapiInstalled(image)) {
                        yield Optional.empty();
                    }
                    yield moduleState(image);
                }
                default -> Optional.empty();
            };
        }

        boolean versionInstalled(RootedFiles image) throws IOException {
            return Files.isDirectory(image.resolve("/usr/lib/php/" + version, true));
        }

        boolean sapiInstalled(RootedFiles image) throws IOException {
            return Files.exists(image.resolve("/usr/lib/php/" + version + "/sapi/" + sapi, true));
        }

        /** {@code find /usr/lib/php -mindepth 1 -maxdepth 1 -regex '.*[0-9]\.[0-9]' | sort -rn}. */
        static Optional<Answer> listVersions(RootedFiles image) throws IOException {
            Path dir = image.resolve("/usr/lib/php", true);
            if (!Files.isDirectory(dir)) {
                return Optional.of(new Answer(0, "", "no versions"));
            }
            List<String> versions = new ArrayList<>();
            for (String name : entries(dir)) {
                if (VERSION_ENTRY.matcher("/usr/lib/php/" + name).matches()) {
                    if (!PLAIN_VERSION.matcher(name).matches()) {
                        return Optional.empty(); // sort -n's reading of other names is not followed
                    }
                    versions.add(name);
                }
            }
            versions.sort(Comparator.comparing((String v) -> new BigDecimal(v)).thenComparing(Comparator.naturalOrder())
                    .reversed());
            return Optional.of(lines(versions));
        }

        /** {@code find /usr/lib/php/V/sapi -mindepth 1 -maxdepth 1 -printf '%f\n'}, in directory order as find reads it. */
        Optional<Answer> listSapis(RootedFiles image) throws IOException {
            Path dir = image.resolve("/usr/lib/php/" + version + "/sapi", true);
            if (!Files.isDirectory(dir)) {
                return Optional.of(new Answer(0, "", "no SAPIs"));
            }
            List<String> names = entries(dir);
            // Echoed unquoted: only names that word splitting and globbing leave as they are.
            if (names.stream().anyMatch(n -> !WORD.matcher(n).matches())) {
                return Optional.empty();
            }
            return Optional.of(lines(names));
        }

        private static Answer lines(List<String> names) {
            StringBuilder out = new StringBuilder();
            names.forEach(n -> out.append(n).append('\n'));
            return new Answer(0, out.toString(), String.join(" ", names));
        }

        private static List<String> entries(Path dir) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(p -> names.add(p.getFileName().toString()));
            }
            return names;
        }

        /** php-helper's check_mod. */
        Optional<Answer> moduleState(RootedFiles image) throws IOException {
            Path sourceFile = image.resolve(source(), true);
            if (!Files.exists(sourceFile)) {
                return Optional.of(Answer.line(1, "No module matches " + module, "no such module"));
            }
            Optional<String> priority = priority(sourceFile);
            if (priority.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(linkState(image, liveLink(priority.get())));
        }

        /** The module's ini: {@code /etc/php/V/mods-available/M.ini}. */
        String source() {
            return "/etc/php/" + version + "/mods-available/" + module + ".ini";
        }

        /** Where the module is linked for the SAPI, at the ini's priority: {@code /etc/php/V/S/conf.d/P-M.ini}. */
        String liveLink(String priority) {
            return "/etc/php/" + version + "/" + sapi + "/conf.d/" + priority + "-" + module + ".ini";
        }

        /** Who enabled or disabled modules for the SAPI: {@code /var/lib/php/modules/V/S}. */
        String stateDir() {
            return "/var/lib/php/modules/" + version + "/" + sapi;
        }

        /** check_mod for a module whose ini exists, from its link at {@code liveLink}. */
        Answer linkState(RootedFiles image, String liveLink) throws IOException {
            String source = source();
            String state = stateDir();
            Path link = image.resolve(liveLink, false);
            if (Files.exists(image.resolve(liveLink, true))) {
                if (!Files.isSymbolicLink(link)) {
                    // check_mod's inner if has no else: a regular file there is "enabled", silently.
                    return new Answer(0, "", "enabled (a file, not a link)");
                }
                if (!Files.readSymbolicLink(link).toString().equals(source)) {
                    return Answer.line(34, "Module " + module + " symlink was modified by local administrator.",
                            "link changed by the administrator");
                }
                String by = exists(image, state + "/enabled_by_admin/" + module) ? "local administrator"
                        : exists(image, state + "/enabled_by_maint/" + module) ? "maintainer script" : "unknown";
                return Answer.line(0, module + " (Enabled for " + sapi + " by " + by + ")", "enabled by " + by);
            }
            if (exists(image, state + "/disabled_by_admin/" + module)) {
                return Answer.line(32, "No module matches " + module + " (Disabled for " + sapi
                        + " by local administrator)", "disabled by local administrator");
            }
            if (exists(image, state + "/disabled_by_maint/" + module)) {
                return Answer.line(33, "No module matches " + module + " (Disabled for " + sapi
                        + " by maintainer script)", "disabled by maintainer script");
            }
            return Answer.line(1, "No module matches " + module + " (Disabled for " + sapi + " by unknown)",
                    "disabled by unknown");
        }

        private static boolean exists(RootedFiles image, String path) throws IOException {
            return Files.exists(image.resolve(path, true));
        }

        /**
         * The sed of get_priority: the number of a {@code ; priority=N} line, stopping at a line of
         * digits only; 20 without one. Empty (not followed) for a file that is not a regular file
         * or has more than one such line.
         */
        static Optional<String> priority(Path ini) throws IOException {
            if (!Files.isRegularFile(ini)) {
                return Optional.empty();
            }
            String text = new String(Files.readAllBytes(ini), java.nio.charset.StandardCharsets.ISO_8859_1);
            List<String> found = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                var match = PRIORITY.matcher(line);
                if (match.matches()) {
                    found.add(match.group(1));
                }
                if (DIGITS.matcher(line).matches()) {
                    break;
                }
            }
            if (found.size() > 1) {
                return Optional.empty();
            }
            return Optional.of(found.isEmpty() ? "20" : found.get(0));
        }
    }
}
