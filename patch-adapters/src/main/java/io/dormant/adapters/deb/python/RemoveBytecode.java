package io.dormant.adapters.deb.python;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The {@code remove_bytecode PKG} function of the Python prerms: for every {@code .py} that
 * {@code dpkg -L PKG} lists, {@code rm -f DIR/__pycache__/STEM.*.py[co]}; then every empty
 * {@code __pycache__} that {@code find} meets under /usr/lib/python3 and /usr/lib/python3.X outside
 * {@code dist-packages} is removed. Planned on the tree as it is, so that every case where the
 * shell would read, split or glob a name otherwise, or fail, is found before anything changes.
 */
final class RemoveBytecode {

    private static final String INFO = "/var/lib/dpkg/info/";
    private static final String DIVERSIONS = "/var/lib/dpkg/diversions";
    /** What xargs (quotes, backslashes), {@code read} (backslashes), word splitting and globbing treat specially. */
    private static final String SHELL_SPECIAL = " \t\n\\'\"*?[]";

    private RemoveBytecode() {
    }

    static EmulatedAction plan(RootedFiles image, String pkg, String version, boolean phello, boolean directoriesOnly)
            throws IOException, BytecodeCleanupException {
        Set<Path> files = new LinkedHashSet<>();
        Map<String, List<Path>> listings = new HashMap<>();
        for (String source : pythonSources(image, pkg)) {
            int slash = source.lastIndexOf('/');
            String stem = source.substring(slash + 1, source.length() - ".py".length());
            // STEM.*.py[co]: the stem, a dot, anything (even nothing), .py, then c or o.
            files.addAll(globbed(image, listings, source.substring(0, slash) + "/__pycache__", stem + ".*.py[co]",
                    name -> name.startsWith(stem + ".") && name.length() >= stem.length() + 1 + ".pyc".length()
                            && (name.endsWith(".pyc") || name.endsWith(".pyo"))));
        }
        if (phello) {
            String prefix = "__phello__.cpython-";
            files.addAll(globbed(image, listings, "/usr/lib/python" + version + "/__pycache__", prefix + "*.py*",
                    name -> name.startsWith(prefix) && name.indexOf(".py", prefix.length()) >= 0));
        }
        List<Path> empty = emptyPycache(image, List.of("/usr/lib/python3", "/usr/lib/python" + version), files,
                directoriesOnly);
        String description = "remove_bytecode " + pkg + ": " + files.size() + " bytecode files, " + empty.size()
                + " empty __pycache__";
        return new EmulatedAction(ActionPolicy.BYTECODE_CLEANUP, description, tree -> {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            for (Path pycache : empty) {
                Files.deleteIfExists(pycache);
            }
        });
    }

    /** The lines of {@code dpkg -L PKG} that end in .py; dpkg adds lines for diversions, so none may touch the package. */
    static List<String> pythonSources(RootedFiles image, String pkg) throws IOException, BytecodeCleanupException {
        Path list = image.resolve(INFO + pkg + ".list", true);
        if (!Files.isRegularFile(list)) {
            throw new BytecodeCleanupException("no file list " + INFO + pkg + ".list");
        }
        List<String> lines = Files.readString(list, StandardCharsets.ISO_8859_1).lines().toList();
        Set<String> listed = new HashSet<>(lines);
        Path diversions = image.resolve(DIVERSIONS, true);
        if (Files.isRegularFile(diversions)) {
            List<String> triples = Files.readString(diversions, StandardCharsets.ISO_8859_1).lines().toList();
            String name = pkg.indexOf(':') < 0 ? pkg : pkg.substring(0, pkg.indexOf(':'));
            for (int i = 0; i + 2 < triples.size(); i += 3) {
                if (listed.contains(triples.get(i)) || listed.contains(triples.get(i + 1))
                        || triples.get(i + 2).equals(name)) {
                    throw new BytecodeCleanupException("a diversion of " + triples.get(i) + " adds lines to dpkg -L");
                }
            }
        }
        List<String> sources = new ArrayList<>();
        for (String line : lines) {
            if (line.endsWith(".py")) {
                if (!line.startsWith("/") || !plain(line)) {
                    throw new BytecodeCleanupException(line + ": a name that xargs, read or the shell would change");
                }
                sources.add(line);
            }
        }
        return sources;
    }

    /** What {@code rm -f DIR/PATTERN} removes; a pattern that matches nothing stays a name that must not exist. */
    private static List<Path> globbed(RootedFiles image, Map<String, List<Path>> listings, String dir, String pattern,
                                      Predicate<String> matches) throws IOException, BytecodeCleanupException {
        List<Path> entries = listing(image, dir, listings);
        List<Path> matched = new ArrayList<>();
        if (entries != null) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!matches.test(name)) {
                    continue;
                }
                if (name.indexOf('\uFFFD') >= 0) {
                    throw new BytecodeCleanupException(dir + "/" + name + ": a name that is not valid UTF-8");
                }
                if (Files.isDirectory(entry, NOFOLLOW_LINKS)) {
                    throw new BytecodeCleanupException("rm -f fails on the directory " + dir + "/" + name);
                }
                matched.add(entry);
            }
        } else if (Files.exists(image.resolve(dir, true), NOFOLLOW_LINKS)) {
            throw new BytecodeCleanupException(dir + " is not a directory");
        }
        if (matched.isEmpty() && Files.exists(image.resolve(dir, true).resolve(pattern), NOFOLLOW_LINKS)) {
            throw new BytecodeCleanupException(dir + "/" + pattern + " exists under that very name");
        }
        return matched;
    }

    /**
     * A directory's entries (null when it is no directory), read once: most sources of a package
     * share a few {@code __pycache__}.
     */
    static List<Path> listing(RootedFiles image, String dir, Map<String, List<Path>> listings) throws IOException {
        if (!listings.containsKey(dir)) {
            Path host = image.resolve(dir, true);
            List<Path> entries = null;
            if (Files.isDirectory(host, NOFOLLOW_LINKS)) {
                try (Stream<Path> stream = Files.list(host)) {
                    entries = stream.toList();
                }
            }
            listings.put(dir, entries);
        }
        return listings.get(dir);
    }

    /**
     * What {@code find ROOTS \( -name dist-packages -prune \) -o \( -name __pycache__ [-type d] -empty -print \)}
     * prints once the bytecode is gone: find does not follow symlinks, and tests each directory before entering it.
     */
    private static List<Path> emptyPycache(RootedFiles image, List<String> roots, Set<Path> removed,
                                           boolean directoriesOnly) throws IOException, BytecodeCleanupException {
        Set<Path> found = new LinkedHashSet<>();
        for (String root : roots) {
            Path start = image.resolve(root, false);
            if (!Files.exists(start, NOFOLLOW_LINKS)) {
                continue;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String name = dir.getFileName().toString();
                    if (name.equals("dist-packages")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (name.equals("__pycache__") && emptyOnceRemoved(dir, removed)) {
                        found.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!directoriesOnly && file.getFileName().toString().equals("__pycache__")
                            && attrs.isRegularFile() && attrs.size() == 0) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        for (Path path : found) {
            if (!plain(image.imagePath(path))) {
                throw new BytecodeCleanupException(image.imagePath(path) + ": a name that xargs would split or un-quote");
            }
        }
        return List.copyOf(found);
    }

    private static boolean emptyOnceRemoved(Path dir, Set<Path> removed) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!removed.contains(entry)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Printable ASCII without the characters xargs, read or the shell would treat specially. */
    private static boolean plain(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~' || SHELL_SPECIAL.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
