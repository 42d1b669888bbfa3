package io.dormant.adapters.deb.ucf;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code ucf} and {@code ucfr}, answered while a script runs confined, in the calls whose outcome
 * asks nobody: each ucf call starts a debconf frontend (a Perl interpreter and its modules) and
 * some fifty commands, about 0.2 s, and packages such as dovecot-core and php call it for every
 * one of their configuration files. Followed here, by ucf 3.0's rules ({@link UcfState}):
 * <ul>
 *   <li>{@code ucf [--three-way] [--debconf-ok] NEW DEST} when DEST exists and its registered md5
 *       decides without a question: the registered version is the new one (nothing to do); DEST is
 *       the registered version (replaced by NEW, registry updated); DEST already is NEW (registry
 *       updated);</li>
 *   <li>{@code ucfr [--force] PACKAGE FILE} when FILE is already registered to PACKAGE (nothing to do).</li>
 * </ul>
 * Anything else runs the image's own command: other options, {@code UCF_*} or {@code RETAIN_OLD}
 * in the environment, settings in {@code /etc/ucf.conf}, a diverted or symlinked path, names with
 * characters the tools' regular expressions would read differently, a file ucf would ask about.
 */
public final class UcfHelpers implements HelperCalls {

    static final String UCF = "ucf";
    static final String UCFR = "ucfr";
    private static final String DIVERSIONS = "/var/lib/dpkg/diversions";
    private final BooleanSupplier emulated;

    /** @param emulated whether the action policy puts ucf in the emulate tier */
    public UcfHelpers(BooleanSupplier emulated) {
        this.emulated = emulated;
    }

    /**
     * The environment variables the tools read (forwarded by the confine tier's shims): any of them
     * set means the image's own command runs.
     */
    static final List<String> ENVIRONMENT = List.of("UCF_FORCE_CONFFOLD", "UCF_FORCE_CONFFNEW",
            "UCF_FORCE_CONFFMISS", "UCF_STATE_DIR", "UCF_SOURCE_DIR", "UCF_OLD_MDSUM_FILE", "RETAIN_OLD",
            "DEBCONF_OK", "DEBCONF_ALREADY_RUNNING");

    @Override
    public Set<String> commands() {
        return Set.of(UCF, UCFR);
    }

    @Override
    public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
        if (!emulated.getAsBoolean() || !call.env("DPKG_ROOT").isEmpty()
                || ENVIRONMENT.stream().anyMatch(name -> !call.env(name).isEmpty())) {
            return Optional.empty();
        }
        RootedFiles image = new RootedFiles(root);
        UcfState state = UcfState.of(image);
        if (state == null) {
            return Optional.empty();
        }
        return switch (call.command()) {
            case UCF -> ucf(image, state, call.args());
            case UCFR -> ucfr(image, state, call.args());
            default -> Optional.empty();
        };
    }

    private Optional<HelperReply> ucf(RootedFiles image, UcfState state, List<String> args) throws IOException {
        boolean threeWay = false;
        int at = 0;
        for (; at < args.size() && args.get(at).startsWith("-"); at++) {
            switch (args.get(at)) {
                case "--three-way" -> threeWay = true;
                case "--debconf-ok" -> { }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (args.size() - at != 2) {
            return Optional.empty();
        }
        String newFile = args.get(at);
        String destFile = args.get(at + 1);
        if (!plainRegularFile(image, newFile) || !plainRegularFile(image, destFile) || diverted(image, destFile)) {
            return Optional.empty();
        }
        return state.update(newFile, destFile, threeWay).map(done -> HelperReply.done(
                "ucf " + String.join(" ", args) + ": " + done));
    }

    private Optional<HelperReply> ucfr(RootedFiles image, UcfState state, List<String> args) throws IOException {
        int at = 0;
        while (at < args.size() && (args.get(at).equals("-f") || args.get(at).equals("--force"))) {
            at++;
        }
        if (args.size() - at != 2 || args.get(at).startsWith("-") || args.get(at).isEmpty()) {
            return Optional.empty();
        }
        String pkg = args.get(at);
        String file = args.get(at + 1);
        if (!plainRegularFile(image, file) || !state.registeredTo(pkg, file)) {
            return Optional.empty();
        }
        return Optional.of(HelperReply.done("ucfr " + String.join(" ", args) + ": already registered to " + pkg));
    }

    /** An existing regular file named by its canonical path, in characters every tool reads literally. */
    private static boolean plainRegularFile(RootedFiles image, String path) throws IOException {
        if (!UcfState.plain(path)) {
            return false;
        }
        return path.equals(image.canonical(path)) && Files.isRegularFile(image.resolve(path, false), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether any diversion names the path: ucf and ucfr then ask dpkg-divert, which is not followed here. */
    private static boolean diverted(RootedFiles image, String path) throws IOException {
        Path diversions = image.resolve(DIVERSIONS, false);
        if (!Files.exists(diversions, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Files.readAllLines(diversions, java.nio.charset.StandardCharsets.ISO_8859_1).contains(path);
    }
}
