package io.dormant.adapters.deb.python;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.deb.emulate.ScriptCall;
import io.dormant.adapters.deb.emulate.ScriptEmulation;
import io.dormant.adapters.deb.emulate.ScriptShape;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.rootfs.KnownFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prerm that dh_python3 writes for every Python module package ({@code python3-*}), emulated
 * as a whole: {@code py3clean -p PKG} starts an interpreter (a quarter to half a second) to remove
 * the bytecode of the package's sources. Only that exact snippet, with nothing else in the script,
 * and only bookworm's py3clean (by its hash and that of the module it reads {@code dpkg -L} with):
 * anything else runs confined as before.
 *
 * <p>What py3clean does, for each line of {@code dpkg -L PKG} that ends in {@code .py}: removes
 * every entry of {@code DIR/__pycache__} named {@code STEM.*} (not hidden), and {@code FILE.pyc}
 * and {@code FILE.pyo} when they exist; after each removal from a {@code __pycache__} it tries
 * {@code rmdir} on it. It prints only failures, and always exits 0. Every case where it would fail
 * or do more (a directory among the matches, a stem with a dot, which it retries without the
 * dot's tail, a name reached twice) is found before anything changes and left to the real tool.
 */
public final class Py3cleanPrerm {

    private static final Pattern CALL = Pattern.compile("(?m)^\\s*py3clean -p ([a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?)[ \\t]*$");
    /** dh_python3's prerm snippet (dh-python 5.20230130 of bookworm), normalized (no comments, so no #! line), for PKG. */
    private static final String SHAPE = String.join("\n",
            "set -e",
            "if command -v py3clean >/dev/null 2>&1; then",
            "py3clean -p PKG",
            "else",
            "dpkg -L PKG | sed -En -e '/^(.*)\\/(.+)\\.py$/s,,rm \"\\1/__pycache__/\\2\".*,e'",
            "find /usr/lib/python3/dist-packages/ -type d -name __pycache__ -empty -print0 | xargs --null --no-run-if-empty rmdir",
            "fi");
    private static final String PY3CLEAN = "/usr/bin/py3clean";
    /** python3-minimal 3.11.2-1+b1 (bookworm): /usr/bin/py3clean and debpython/files.py. */
    private static final Map<String, String> KNOWN = Map.of(
            PY3CLEAN, "918f4dc101a584876714778b4bf311740c2ba75eb21dc95b6c36261a8803bc81",
            "/usr/share/python3/debpython/files.py", "25af0d958884e986aad7f4f8cb16d3aa6afb6006f4c20c01d961d89ac3232062");
    private static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Py3cleanPrerm() {
    }

    /** Empty when the script is not dh_python3's prerm; otherwise its emulation or why there is none. */
    public static Optional<ScriptEmulation> emulation(RootedFiles image, byte[] script, ScriptCall call) {
        if (!call.scriptName().equals("prerm")) {
            return Optional.empty();
        }
        String text = new String(script, StandardCharsets.UTF_8);
        Matcher py3clean = CALL.matcher(text);
        if (!py3clean.find()) {
            return Optional.empty();
        }
        String pkg = py3clean.group(1);
        String name = pkg.contains(":") ? pkg.substring(0, pkg.indexOf(':')) : pkg;
        if (!text.startsWith("#!/bin/sh\n") || !name.equals(call.packageName())
                || !ScriptShape.normalized(text.replace(pkg, "PKG")).equals(SHAPE)) {
            return Optional.empty();
        }
        try {
            Optional<String> unknown = unknownTool(image);
            if (unknown.isPresent()) {
                return Optional.of(new ScriptEmulation(List.of(), unknown.get()));
            }
            return Optional.of(new ScriptEmulation(List.of(plan(image, pkg)), null));
        } catch (BytecodeCleanupException | IOException e) {
            return Optional.of(new ScriptEmulation(List.of(), "py3clean -p " + pkg + ": " + e.getMessage()));
        }
    }

    /** Why the command the script would run is not the py3clean followed here, if it is not. */
    private static Optional<String> unknownTool(RootedFiles image) throws IOException {
        for (String dir : PATH) {
            Path candidate = image.resolve(dir + "/py3clean", true);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                if (!(dir + "/py3clean").equals(PY3CLEAN) && !PY3CLEAN.equals(image.canonical(dir + "/py3clean"))) {
                    return Optional.of("py3clean is " + dir + "/py3clean, not " + PY3CLEAN);
                }
                Optional<String> differing = KnownFiles.firstDiffering(image, KNOWN);
                if (differing.isPresent()) {
                    return Optional.of(differing.get() + " is not the release whose behaviour Dormant follows");
                }
                Path python = image.resolve("/usr/bin/python3", true);
                return Files.isRegularFile(python) && Files.isExecutable(python)
                        ? Optional.empty() : Optional.of("py3clean's interpreter /usr/bin/python3 is missing");
            }
        }
        // Not installed: the script takes its else branch, which runs confined.
        return Optional.of("no py3clean in the image: the script's own fallback runs");
    }

    static EmulatedAction plan(RootedFiles image, String pkg) throws IOException, BytecodeCleanupException {
        String list = listName(image, pkg);
        Set<Path> files = new LinkedHashSet<>();
        Map<String, List<Path>> listings = new HashMap<>();
        Map<Path, String> pycaches = new HashMap<>();
        for (String source : new LinkedHashSet<>(RemoveBytecode.pythonSources(image, list))) {
            int slash = source.lastIndexOf('/');
            String dir = source.substring(0, slash);
            String stem = source.substring(slash + 1, source.length() - ".py".length());
            if (stem.isEmpty() || stem.contains(".")) {
                throw new BytecodeCleanupException(source + ": a name py3clean splits otherwise");
            }
            if (dir.endsWith("__pycache__")) {
                throw new BytecodeCleanupException(source + ": a source in a __pycache__ directory");
            }
            String pycache = dir + "/__pycache__";
            List<Path> entries = RemoveBytecode.listing(image, pycache, listings);
            for (Path entry : entries == null ? List.<Path>of() : entries) {
                String entryName = entry.getFileName().toString();
                if (entryName.startsWith(".") || !entryName.startsWith(stem + ".")) {
                    continue;
                }
                if (entryName.indexOf('\uFFFD') >= 0 || Files.isDirectory(entry, NOFOLLOW_LINKS)) {
                    throw new BytecodeCleanupException(pycache + "/" + entryName + ": py3clean cannot remove it");
                }
                remove(files, entry);
                pycaches.put(entry.getParent(), pycache);
            }
            for (String classic : List.of(source + "c", source + "o")) {
                if (Files.exists(image.resolve(classic, true), NOFOLLOW_LINKS)) {
                    Path path = image.resolve(classic, false);
                    if (Files.isDirectory(path, NOFOLLOW_LINKS)) {
                        throw new BytecodeCleanupException(classic + ": py3clean cannot remove a directory");
                    }
                    remove(files, path);
                }
            }
        }
        // rmdir after each removal: a __pycache__ goes when nothing is left in it at the end.
        List<Path> empty = new ArrayList<>();
        for (var pycache : pycaches.entrySet()) {
            if (Files.isDirectory(image.resolve(pycache.getValue(), false), NOFOLLOW_LINKS)
                    && RemoveBytecode.listing(image, pycache.getValue(), listings).stream().allMatch(files::contains)) {
                empty.add(pycache.getKey());
            }
        }
        String description = "py3clean -p " + pkg + ": " + files.size() + " bytecode files, " + empty.size() + " empty __pycache__";
        return new EmulatedAction(ActionPolicy.BYTECODE_CLEANUP, description, tree -> {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            for (Path pycache : empty) {
                Files.deleteIfExists(pycache);
            }
        });
    }

    /** A second removal of the same file fails and is reported by py3clean: left to it. */
    private static void remove(Set<Path> files, Path file) throws BytecodeCleanupException {
        if (!files.add(file)) {
            throw new BytecodeCleanupException(file.getFileName() + " is reached by two sources");
        }
    }

    /** The file list {@code dpkg -L PKG} prints: NAME.list, or NAME:ARCH.list of a Multi-Arch: same package. */
    static String listName(RootedFiles image, String pkg) throws IOException, BytecodeCleanupException {
        String info = "/var/lib/dpkg/info/";
        if (pkg.contains(":")) {
            String name = pkg.substring(0, pkg.indexOf(':'));
            if (Files.isRegularFile(image.resolve(info + pkg + ".list", true))) {
                return pkg;
            }
            if (Files.isRegularFile(image.resolve(info + name + ".list", true))) {
                return name;
            }
        } else if (Files.isRegularFile(image.resolve(info + pkg + ".list", true))) {
            return pkg;
        }
        throw new BytecodeCleanupException("no file list of " + pkg + " under " + info);
    }
}
