package io.dormant.adapters.deb.python;

import io.dormant.adapters.rootfs.KnownFiles;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code py3compile -p PKG} (dh_python3's postinst line of every Python module package)
 * compiles, so that {@link ByteCompileCache} can put the {@code .pyc} files an earlier apply's run
 * wrote in place before it runs; py3compile then finds them current and leaves them. Only bookworm's
 * py3compile and debpython (by their hashes, with python3.11 the one supported version) are read
 * this way: the package's {@code .py} files under a public {@code dist-packages} or
 * {@code site-packages} for 3 or 3.11, with no exclusions in {@code /usr/share/python3/bcep}.
 * py3compile itself still runs as written, with its interpreter, so everything else it does
 * (a file it compiles after all, the modules its interpreter imports) happens as on the real system.
 */
final class Py3compileRun {

    /** python3-minimal 3.11.2-1+b1 (bookworm): the tool, the modules that choose its files, and the defaults. */
    private static final Map<String, String> KNOWN = Map.of(
            "/usr/bin/py3compile", "87beb3c2767a0df477deb7f5736bed2f2b60083729fc8509be531216805a754e",
            "/usr/share/python3/debpython/__init__.py", "87ab116e9bbf9be17d38ac2875fde867ae4a1ca08839f550cda5dd610eb68167",
            "/usr/share/python3/debpython/files.py", "25af0d958884e986aad7f4f8cb16d3aa6afb6006f4c20c01d961d89ac3232062",
            "/usr/share/python3/debpython/interpreter.py", "4009f813254fa3edf997d7f212cb752e9b4565ea9157a3eb6fc93bb40561dd2e",
            "/usr/share/python3/debpython/version.py", "f10f1de7397e0c957eb4cd15eb81b408f41f6d827ae7faad4cc21fc83032297a",
            "/usr/share/python3/debian_defaults", "3db44a80a20627a9626b1f800e9f32e8103d03a98455218455e0940167446898");
    /** The one version those defaults support. */
    static final String PYTHON = "/usr/bin/python3.11";
    static final String COMPILER = "/usr/lib/python3.11/py_compile.py";
    /** debpython's PUBLIC_DIR_RE, anchored at the start as re.match is. */
    private static final Pattern PUBLIC_DIR = Pattern.compile("^.*?/usr/lib/python(\\d(?:.\\d+)?)/(site|dist)-packages");
    private static final String EXCLUSIONS = "/usr/share/python3/bcep";
    static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?");

    private Py3compileRun() {
    }

    /** The files py3compile -p PKG compiles for python3.11, or empty when this is not a run followed here. */
    static Optional<List<String>> files(RootedFiles image, String pkg) throws IOException {
        if (!PACKAGE.matcher(pkg).matches()) {
            return Optional.empty();
        }
        if (KnownFiles.firstDiffering(image, KNOWN).isPresent()) {
            return Optional.empty();
        }
        Path exclusions = image.resolve(EXCLUSIONS, true);
        if (Files.exists(exclusions, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(exclusions, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            try (Stream<Path> entries = Files.list(exclusions)) {
                if (entries.findAny().isPresent()) {
                    return Optional.empty();
                }
            }
        }
        List<String> sources;
        try {
            sources = RemoveBytecode.pythonSources(image, Py3cleanPrerm.listName(image, pkg));
        } catch (BytecodeCleanupException e) {
            return Optional.empty();
        }
        List<String> files = new ArrayList<>();
        for (String source : sources) {
            Matcher publicDir = PUBLIC_DIR.matcher(source);
            if (publicDir.find() && (publicDir.group(1).equals("3") || publicDir.group(1).equals("3.11"))) {
                files.add(source);
            }
        }
        return Optional.of(files);
    }
}
