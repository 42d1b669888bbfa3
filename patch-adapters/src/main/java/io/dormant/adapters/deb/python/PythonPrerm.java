package io.dormant.adapters.deb.python;

import io.dormant.adapters.deb.emulate.ScriptCall;
import io.dormant.adapters.deb.emulate.ScriptEmulation;
import io.dormant.adapters.deb.emulate.ScriptShape;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prerm of libpython3.X-minimal, libpython3.X-stdlib and python3.X, recognised by its shape
 * and emulated as a whole: its {@code remove_bytecode} pipes {@code dpkg -L} through awk, xargs and
 * a read loop, which the generic reader cannot follow, and running it confined costs a sandbox per
 * call, three per Python update. The shape is taken with the Python version and the architecture
 * replaced by placeholders, so that every 3.X and every architecture of the same script matches.
 */
public final class PythonPrerm {

    private static final Pattern PACKAGE = Pattern.compile("^(lib)?python(3\\.[0-9]+)(-minimal|-stdlib)?$");
    private static final Pattern ARCH = Pattern.compile("(python3\\.X(?:-minimal|-stdlib)?):([a-z0-9][a-z0-9-]*)");

    /** What each known script does, by its normalised shape (python3.11 3.11.2-6 of bookworm). */
    private static final Map<String, Variant> SHAPES = Map.of(
            "d7bc2bb6087f7df54db338c721996b8ce3f58010ef6a398d2e8144db09f8195a", Variant.MINIMAL,
            "a1288435f4aa94746eee74b86904522fe67d9912338e3ce0ae79516a0bff9877", Variant.STDLIB,
            "84e48683733dfa756fbeb638a1dd24fa3ff65557b168a071cf093a2ec845726d", Variant.PYTHON);

    /** The three scripts: whose file list they clean, and how their find and case differ. */
    enum Variant {
        /** {@code remove_bytecode libpython3.X-minimal:ARCH} on upgrade; remove counts instances first. */
        MINIMAL("libpython", "-minimal", "-minimal", false, true),
        /** The same for -stdlib, which also removes {@code __phello__}'s bytecode, named unlike its source. */
        STDLIB("libpython", "-stdlib", "-stdlib", true, true),
        /** python3.X cleans libpython3.X-stdlib's list on remove and upgrade alike, and its find lacks {@code -type d}. */
        PYTHON("python", "", "-stdlib", false, false);

        final String prefix;
        final String suffix;
        final String cleans;
        final boolean phello;
        final boolean directoriesOnly;

        Variant(String prefix, String suffix, String cleans, boolean phello, boolean directoriesOnly) {
            this.prefix = prefix;
            this.suffix = suffix;
            this.cleans = cleans;
            this.phello = phello;
            this.directoriesOnly = directoriesOnly;
        }
    }

    private PythonPrerm() {
    }

    /** Empty when the script is not one of the known Python prerms; otherwise its emulation or why there is none. */
    public static Optional<ScriptEmulation> emulation(RootedFiles image, byte[] script, ScriptCall call) {
        Matcher name = PACKAGE.matcher(call.packageName());
        if (!call.scriptName().equals("prerm") || !name.matches()) {
            return Optional.empty();
        }
        String version = name.group(2);
        String text = new String(script, StandardCharsets.UTF_8).replace("python" + version, "python3.X");
        TreeSet<String> arches = new TreeSet<>();
        Matcher arch = ARCH.matcher(text);
        while (arch.find()) {
            arches.add(arch.group(2));
        }
        Variant variant = SHAPES.get(ScriptShape.of(ARCH.matcher(text).replaceAll("$1:ARCH")));
        if (variant == null || arches.size() != 1 || !call.packageName().equals(
                variant.prefix + version + variant.suffix)) {
            return Optional.empty();
        }
        List<String> args = call.args();
        String action = args.isEmpty() ? "" : args.get(0);
        boolean cleans = action.equals("upgrade") || action.equals("remove") && variant == Variant.PYTHON;
        if (action.equals("remove") && !cleans) {
            return Optional.of(new ScriptEmulation(List.of(),
                    call.packageName() + " prerm remove: it counts the package's installed instances with dpkg-query"));
        }
        if (!cleans) {
            return Optional.of(switch (action) {
                case "deconfigure", "failed-upgrade" -> new ScriptEmulation(List.of(), null);
                default -> new ScriptEmulation(List.of(), call.packageName() + " prerm fails for '" + action + "'");
            });
        }
        String pkg = "libpython" + version + variant.cleans + ":" + arches.first();
        try {
            return Optional.of(new ScriptEmulation(List.of(
                    RemoveBytecode.plan(image, pkg, version, variant.phello, variant.directoriesOnly)), null));
        } catch (BytecodeCleanupException | IOException e) {
            // An unreadable or odd tree is left to the real script, which meets it as it is.
            return Optional.of(new ScriptEmulation(List.of(), "remove_bytecode " + pkg + ": " + e.getMessage()));
        }
    }
}
