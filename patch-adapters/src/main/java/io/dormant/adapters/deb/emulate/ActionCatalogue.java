package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The maintainer-script commands Dormant knows, each with what it does for a given call. A command
 * is known only for the calls whose effect is implemented here; for any other call it answers
 * empty, and the whole script runs confined: {@code dpkg-maintscript-helper} ({@link MaintscriptHelper}),
 * {@code deb-systemd-helper} ({@link DebSystemdHelper}), {@code systemctl daemon-reload}, service
 * starts (deferred), {@code chmod} and {@code update-alternatives --remove}; and, for conditions,
 * the read-only commands of {@link #query}.
 */
final class ActionCatalogue {

    static final String MAINTSCRIPT_HELPER = "maintscript-helper";
    static final String ENABLE_UNIT = "enable-unit";
    static final String SERVICE_START = "service-start";
    static final String SERVICE_RESTART = "service-restart";
    static final String FILE_MODE = "file-mode";
    static final String ALTERNATIVES = "alternatives";
    private static final Pattern OCTAL_MODE = Pattern.compile("^[0-7]{3,4}$");
    private static final String QUIET = " >/dev/null || true";

    private final RootedFiles image;
    private final DebSystemdHelper systemd;
    private final MaintscriptHelper maintscriptHelper;

    ActionCatalogue(RootedFiles image) {
        this.image = image;
        this.systemd = new DebSystemdHelper(image);
        this.maintscriptHelper = new MaintscriptHelper(image);
    }

    /**
     * A command in a condition that only reads the image, answered from the image: whether it boots
     * systemd ({@code [ -d /run/systemd/system ]}: the confine tier shows a live system's view to
     * scripts of such images, so the emulate tier does too), {@code deb-systemd-helper was-enabled}
     * and {@code debian-installed}, {@code getent passwd NAME} (from the image's /etc/passwd).
     * Empty for anything else.
     */
    Optional<Boolean> query(String command) throws IOException {
        String text = command.strip();
        boolean negated = text.startsWith("! ");
        text = (negated ? text.substring(2) : text).replaceAll("\\s*(>|2>|&>)\\s*/dev/null(\\s+2>&1)?$", "").strip();
        List<String> words;
        try {
            words = ShellLines.words(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!ShellLines.isLiteral(String.join(" ", words.stream().filter(w -> !w.equals("[") && !w.equals("]")).toList()))) {
            return Optional.empty();
        }
        Optional<Boolean> answer = Optional.empty();
        if (words.equals(List.of("[", "-d", "/run/systemd/system", "]"))) {
            answer = Optional.of(bootsSystemd());
        } else if (words.size() >= 4 && words.size() <= 5 && words.get(0).equals("[") && words.get(words.size() - 1).equals("]")
                && words.get(words.size() - 2).startsWith("/") && !words.get(words.size() - 2).startsWith("/run/")
                && !words.get(words.size() - 2).startsWith("/proc/") && !words.get(words.size() - 2).startsWith("/dev/")) {
            boolean not = words.size() == 5;
            if (not && !words.get(1).equals("!")) {
                return Optional.empty();
            }
            answer = fileTest(words.get(not ? 2 : 1), words.get(words.size() - 2)).map(b -> b != not);
        } else if (words.size() == 2 && words.get(0).equals("which")) {
            answer = Optional.of(onPath(words.get(1)));
        } else if (words.size() == 4 && words.get(0).equals("deb-systemd-helper") && words.get(1).equals("--quiet")
                && words.get(2).equals("was-enabled")) {
            answer = Optional.of(systemd.wasEnabled(words.get(3)));
        } else if (words.size() == 3 && words.get(0).equals("deb-systemd-helper") && words.get(1).equals("debian-installed")) {
            answer = Optional.of(systemd.debianInstalled(words.get(2)));
        } else if (words.size() == 3 && words.get(0).equals("getent") && words.get(1).equals("passwd")) {
            answer = Optional.of(hasUser(words.get(2)));
        }
        return negated ? answer.map(b -> !b) : answer;
    }

    /** {@code test}'s file operators on an image path; /run, /proc and /dev are a live system's and not answered. */
    private Optional<Boolean> fileTest(String operator, String imagePath) throws IOException {
        Path followed = image.resolve(imagePath, true);
        return switch (operator) {
            case "-e" -> Optional.of(Files.exists(followed));
            case "-f" -> Optional.of(Files.isRegularFile(followed));
            case "-d" -> Optional.of(Files.isDirectory(followed));
            case "-x" -> Optional.of(Files.exists(followed) && Files.isExecutable(followed));
            case "-s" -> Optional.of(Files.isRegularFile(followed) && Files.size(followed) > 0);
            case "-h", "-L" -> Optional.of(Files.isSymbolicLink(image.resolve(imagePath, false)));
            default -> Optional.empty();
        };
    }

    /** {@code which NAME}: an executable of that name in a directory of dpkg's PATH for scripts. */
    private boolean onPath(String name) throws IOException {
        if (name.contains("/")) {
            return false;
        }
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path candidate = image.resolve(dir + "/" + name, true);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    private boolean bootsSystemd() throws IOException {
        String init = image.canonical("/sbin/init");
        return init != null && init.endsWith("/systemd") && Files.isRegularFile(image.resolve(init, false));
    }

    private boolean hasUser(String name) throws IOException {
        Path passwd = image.resolve("/etc/passwd", true);
        return Files.isRegularFile(passwd) && Files.readAllLines(passwd).stream().anyMatch(l -> l.startsWith(name + ":"));
    }

    /** The actions of one simple command, or empty when it is not known for this call. */
    Optional<List<EmulatedAction>> actions(String line, ScriptCall call) throws IOException {
        List<String> words;
        try {
            words = ShellLines.words(line);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!words.isEmpty() && words.get(0).equals("dpkg-maintscript-helper")) {
            return maintscriptHelper.action(line, words, call).map(List::of);
        }
        if (words.size() == 3 && words.get(0).equals("chmod") && OCTAL_MODE.matcher(words.get(1)).matches()
                && words.get(2).startsWith("/") && ShellLines.isLiteral(line)) {
            return chmod(words.get(1), words.get(2));
        }
        if (words.size() == 4 && words.get(0).equals("update-alternatives") && words.get(1).equals("--remove")
                && ShellLines.isLiteral(line)) {
            return alternativeRemoval(words.get(2), words.get(3));
        }
        if (line.endsWith(" || true") && words.size() == 5 && words.get(0).equals("invoke-rc.d")
                && !words.get(1).startsWith("-") && List.of("start", "restart", "try-restart").contains(words.get(2))
                && ShellLines.isLiteral(line.substring(0, line.length() - " || true".length()))) {
            return Optional.of(List.of(EmulatedAction.noEffect(words.get(2).equals("start") ? SERVICE_START : SERVICE_RESTART,
                    new io.dormant.adapters.confine.RecordedCommand("invoke-rc.d", words.subList(1, 3)).shellLine())));
        }
        if (!line.endsWith(QUIET)) {
            return Optional.empty();
        }
        List<String> quiet = ShellLines.words(line.substring(0, line.length() - QUIET.length()));
        if (quiet.size() < 3 || !ShellLines.isLiteral(String.join(" ", quiet))) {
            return Optional.empty();
        }
        List<String> units = quiet.subList(2, quiet.size());
        return switch (quiet.get(0) + " " + quiet.get(1)) {
            case "deb-systemd-helper unmask", "deb-systemd-helper enable", "deb-systemd-helper update-state" ->
                    unitActions(quiet.get(1), units);
            case "systemctl --system" -> units.equals(List.of("daemon-reload"))
                    ? Optional.of(List.of(EmulatedAction.noEffect(ENABLE_UNIT,
                            "systemctl --system daemon-reload: no systemd runs in an offline image")))
                    : Optional.empty();
            case "deb-systemd-invoke restart", "deb-systemd-invoke start" -> Optional.of(List.of(
                    EmulatedAction.noEffect(quiet.get(1).equals("start") ? SERVICE_START : SERVICE_RESTART,
                            new io.dormant.adapters.confine.RecordedCommand(quiet.get(0),
                                    quiet.subList(1, quiet.size())).shellLine())));
            default -> Optional.empty();
        };
    }

    /**
     * {@code deb-systemd-helper unmask | enable | update-state UNIT…}: one action per call (unmask)
     * or unit, each checked now, or empty when the emulation does not follow the call for a unit.
     * For a script's line here, and for a confined script's call ({@link EmulatedHelpers}).
     */
    Optional<List<EmulatedAction>> unitActions(String verb, List<String> units) throws IOException {
        try {
            return switch (verb) {
                case "unmask" -> Optional.of(unmask(units));
                case "enable" -> Optional.of(perUnit("enable", units, systemd::checkEnable, systemd::enableChecked));
                case "update-state" -> Optional.of(perUnit("update-state", units, systemd::closure,
                        systemd::updateStateChecked));
                default -> Optional.empty();
            };
        } catch (DebSystemdHelper.Unsupported e) {
            return Optional.empty();
        }
    }

    /** chmod with an octal mode on a path that exists (else chmod fails, and so does a set -e script). */
    private Optional<List<EmulatedAction>> chmod(String mode, String imagePath) throws IOException {
        if (!Files.exists(image.resolve(imagePath, true))) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(mode, 8);
        return Optional.of(List.of(new EmulatedAction(FILE_MODE, "chmod " + mode + " " + imagePath,
                tree -> io.dormant.library.posix.Posix.chmod(tree.resolve(imagePath, true), bits))));
    }

    /**
     * update-alternatives --remove for a name the image has no alternatives for: the tool does
     * nothing (and says nothing but exits 0). Any real removal is left to the tool, confined.
     */
    private Optional<List<EmulatedAction>> alternativeRemoval(String name, String path) throws IOException {
        if (name.contains("/") || Files.exists(image.resolve("/var/lib/dpkg/alternatives/" + name, false),
                LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(List.of(EmulatedAction.noEffect(ALTERNATIVES,
                "update-alternatives --remove " + name + " " + path + ": the image has no alternatives for " + name)));
    }

    private List<EmulatedAction> unmask(List<String> units) throws IOException, DebSystemdHelper.Unsupported {
        for (String unit : units) {
            systemd.unmask(unit);
        }
        // The tool's clean-up runs once per unit named; with none, it does nothing at all.
        return List.of(new EmulatedAction(ENABLE_UNIT, DebSystemdHelper.describe("unmask", units) + ": not masked",
                units.isEmpty() ? EmulatedAction.Effect.NONE : image -> systemd.removeEmptyMaskedState()));
    }

    /** What checks, before any effect, that the emulation follows the tool for a unit; throws when not. */
    @FunctionalInterface
    private interface UnitCheck {
        void check(String unit) throws IOException, DebSystemdHelper.Unsupported;
    }

    @FunctionalInterface
    private interface UnitEffect {
        void perform(String unit) throws IOException;
    }

    /** One action a unit: checked now (so an unsupported case leaves the script to the confine tier), done later. */
    private static List<EmulatedAction> perUnit(String action, List<String> units, UnitCheck check, UnitEffect effect)
            throws IOException, DebSystemdHelper.Unsupported {
        List<EmulatedAction> actions = new java.util.ArrayList<>();
        for (String unit : units) {
            check.check(unit);
            actions.add(new EmulatedAction(ENABLE_UNIT, DebSystemdHelper.describe(action, List.of(unit)),
                    image -> effect.perform(unit)));
        }
        return actions;
    }

}
