package io.dormant.adapters.deb.python;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperCalls;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.fs.LeastRecentlyUsed;
import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remembers what a python3.X postinst's {@code py_compile} run wrote, so that the next image of a
 * campaign given the same update gets the same {@code .pyc} files without compiling them again. A
 * {@code .pyc} is a function of the interpreter, the compiler module, the options, the source path,
 * bytes and mtime (py_compile's default timestamp invalidation writes the mtime and size into the
 * header); the entry's name is the SHA-256 of all of them, so any difference is a miss. Misses are
 * compiled by the image's own interpreter, in the sandbox, and remembered afterwards.
 *
 * <p>It answers {@value #COMMAND}, which the byte-compilation function of {@code ByteCompileSplit}
 * calls in the sandbox: {@code lookup PYTHON OPTIONS COMPILER FILE…} writes the remembered files
 * into the image and prints the files still to compile; {@code store PYTHON OPTIONS COMPILER FILE…}
 * remembers what the interpreter just wrote.
 */
public final class ByteCompileCache implements HelperCalls {

    public static final String COMMAND = "dormant-byte-compile";
    /** The operations for {@code py3compile -p PKG}: {@code py3compile-lookup} and {@code py3compile-store}. */
    public static final String PY3COMPILE = "py3compile";
    private static final Pattern PYTHON = Pattern.compile("/usr/bin/python3\\.([0-9]+)");
    private static final Pattern COMPILER = Pattern.compile("/usr/lib/python3\\.[0-9]+/py_compile\\.py");
    /** Names the script's unquoted word splitting and globbing leave as they are. */
    private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._+@/-]+\\.py");
    private static final int HEADER = 16;
    /** PEP 263's declaration, as the tokenizer looks for it in the first two lines. */
    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=]");

    /** The interpreter and compiler hashes, asked for at every call of an apply. */
    private static final FileHashes IDENTITIES = new FileHashes();

    /** Past this many bytes in all, the least recently used entries go: about twenty stdlib compilations. */
    public static final long SIZE_LIMIT = 512L << 20;
    /** Entries are named by a SHA-256 in hex; temporary files start with a dot. */
    public static final String ENTRIES = "[0-9a-f]*";

    private final Path dir;
    private final long sizeLimit;
    /** Per image root and package: the files a py3compile-lookup left to py3compile, for its store. */
    private final Map<String, List<String>> toCompile = new ConcurrentHashMap<>();

    /** @param dir where the remembered files are kept, one per entry, named by its key */
    public ByteCompileCache(Path dir) {
        this(dir, SIZE_LIMIT);
    }

    /** @param sizeLimit past this many bytes in all, the least recently used entries go */
    public ByteCompileCache(Path dir, long sizeLimit) {
        this.dir = dir;
        this.sizeLimit = sizeLimit;
    }

    @Override
    public Set<String> commands() {
        return Set.of(COMMAND);
    }

    @Override
    public Optional<HelperReply> answer(Path root, HelperCall call) throws IOException {
        List<String> args = call.args();
        if (args.size() == 3 && args.get(1).equals("-p") && args.get(0).startsWith(PY3COMPILE)) {
            return py3compile(new RootedFiles(root), args.get(0), args.get(2));
        }
        if (args.size() < 4) {
            return Optional.empty();
        }
        Optional<Compilation> compilation = Compilation.of(new RootedFiles(root), args.get(1), args.get(2), args.get(3));
        if (compilation.isEmpty()) {
            return Optional.empty();
        }
        List<String> files = args.subList(4, args.size());
        // The script splits and globs the names it is given back; only plain names come through unchanged.
        if (files.stream().anyMatch(f -> !PLAIN_PATH.matcher(f).matches() || f.contains("/../") || f.contains("/./"))) {
            return Optional.empty();
        }
        return switch (args.get(0)) {
            case "lookup" -> Optional.of(lookup(compilation.get(), files));
            case "store" -> Optional.of(store(compilation.get(), files));
            default -> Optional.empty();
        };
    }

    /**
     * {@code py3compile-lookup -p PKG} writes the remembered .pyc files of what py3compile will
     * compile, where none is current yet (py3compile leaves a current one as it is, and so must
     * this); {@code py3compile-store -p PKG} remembers what it wrote. The tool runs either way.
     */
    private Optional<HelperReply> py3compile(RootedFiles image, String operation, String pkg) throws IOException {
        Optional<List<String>> files = Py3compileRun.files(image, pkg);
        Optional<Compilation> compilation = Compilation.of(image, Py3compileRun.PYTHON, "", Py3compileRun.COMPILER);
        if (files.isEmpty() || compilation.isEmpty()) {
            return Optional.of(HelperReply.done("byte-compilation: py3compile -p " + pkg + " is not one Dormant remembers"));
        }
        Compilation run = compilation.get().forPy3compile();
        String key = root(image) + "\0" + pkg;
        if (operation.equals(PY3COMPILE + "-store")) {
            // Only what py3compile compiled this time: a .pyc it left alone may come from elsewhere.
            List<String> compiled = toCompile.remove(key);
            return Optional.of(compiled == null ? HelperReply.done("byte-compilation: nothing to remember")
                    : store(run, compiled));
        }
        if (!operation.equals(PY3COMPILE + "-lookup")) {
            return Optional.empty();
        }
        int written = 0;
        Map<String, Path> directories = new java.util.HashMap<>();
        List<String> compiled = new java.util.ArrayList<>();
        for (String file : files.get()) {
            if (run.current(file)) {
                continue;
            }
            if (lookupOne(run, file, directories)) {
                written++;
            } else {
                compiled.add(file);
            }
        }
        toCompile.put(key, compiled);
        return Optional.of(HelperReply.done("byte-compilation: " + written + " of " + files.get().size()
                + " .pyc files of py3compile -p " + pkg + " from the cache of earlier applies"));
    }

    private static String root(RootedFiles image) throws IOException {
        return image.resolve("/", false).toString();
    }

    private HelperReply lookup(Compilation compilation, List<String> files) throws IOException {
        // Each file on its own, on every core. The script waits for the answer, so nothing else
        // changes the tree meanwhile and each directory is resolved once.
        Map<String, Path> directories = new ConcurrentHashMap<>();
        List<Boolean> written = onEveryCore(files, file -> lookupOne(compilation, file, directories));
        StringBuilder left = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            if (!written.get(i)) {
                left.append(files.get(i)).append('\n');
            }
        }
        long count = written.stream().filter(w -> w).count();
        if (left.isEmpty() && !files.isEmpty()) {
            // The interpreter still runs once: the modules it imports to compile get their .pyc
            // written as a side effect, which the image must have as after dpkg's run.
            left.append(files.get(0)).append('\n');
        }
        return new HelperReply(0, left.toString(), "",
                "byte-compilation: " + count + " of " + files.size() + " .pyc files from the cache of earlier applies");
    }

    private HelperReply store(Compilation compilation, List<String> files) throws IOException {
        Files.createDirectories(dir);
        // On every core, as the lookup: the script waits, and a few hundred small files cost
        // their creation in the kernel more than their bytes.
        long stored = onEveryCore(files, file -> storeOne(compilation, file)).stream().filter(done -> done).count();
        if (stored > 0) {
            LeastRecentlyUsed.trim(dir, ENTRIES, sizeLimit);
        }
        return HelperReply.done("byte-compilation: " + stored + " new .pyc files remembered for later applies");
    }

    /** One step for each file, in the files' order. */
    private interface FileStep {
        boolean apply(String file) throws IOException;
    }

    /** {@code step} for every file, on every core; the first failure is the call's. */
    private static List<Boolean> onEveryCore(List<String> files, FileStep step) throws IOException {
        try {
            return files.parallelStream().map(file -> {
                try {
                    return step.apply(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Remembers the .pyc the interpreter wrote for one source file; false when there is none to remember, or it is known. */
    private boolean storeOne(Compilation compilation, String file) throws IOException {
        Optional<String> key = entry(compilation, file);
        if (key.isEmpty() || Files.exists(dir.resolve(key.get()))) {
            return false;
        }
        Optional<byte[]> pyc = compilation.written(file);
        if (pyc.isEmpty()) {
            return false;
        }
        Path temp = Files.createTempFile(dir, ".entry", ".tmp");
        Files.write(temp, pyc.get());
        Files.move(temp, dir.resolve(key.get()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Writes the remembered .pyc of one source file; false when there is none, or when the file must go to the interpreter. */
    private boolean lookupOne(Compilation compilation, String file, Map<String, Path> directories) throws IOException {
        int slash = file.lastIndexOf('/');
        String parent = file.substring(0, slash);
        Path directory = directories.get(parent);
        if (directory == null) {
            directory = compilation.image.resolve(parent, true);
            directories.put(parent, directory);
        }
        Path source = directory.resolve(file.substring(slash + 1));
        SourceStat stat = SourceStat.of(source);
        if (stat == null) {
            // A symlink (sitecustomize.py points into /etc): followed inside the image.
            source = compilation.image.resolve(file, true);
            stat = SourceStat.of(source);
        }
        if (stat == null || Compilation.decodesWithCodec(source)) {
            return false;
        }
        Path entry = dir.resolve(key(compilation, file, source, stat));
        byte[] pyc;
        try {
            pyc = Files.readAllBytes(entry);
        } catch (IOException e) {
            return false; // not remembered, or unreadable: the interpreter compiles it
        }
        if (!compilation.write(file, directory, stat, pyc)) {
            return false;
        }
        try {
            LeastRecentlyUsed.markUsed(entry);
        } catch (IOException e) {
            // removed meanwhile by another apply's trim: the .pyc is written all the same
        }
        return true;
    }

    /** The key of one source file's .pyc (a plain name, see {@link #answer}), or empty when it is not a regular file. */
    private static Optional<String> entry(Compilation compilation, String file) throws IOException {
        Path source = compilation.image.resolve(file, true);
        SourceStat stat = SourceStat.of(source);
        return stat == null ? Optional.empty() : Optional.of(key(compilation, file, source, stat));
    }

    private static String key(Compilation compilation, String file, Path source, SourceStat stat) throws IOException {
        String material = String.join("\n", compilation.identity, file, ObjectId.hashFile(source).hex(),
                Long.toString(stat.mtimeSeconds()), Long.toString(stat.size()));
        return ObjectId.hash(material.getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** One interpreter, compiler and option set, on one image. */
    private static final class Compilation {
        private final RootedFiles image;
        private final String identity;
        private final String tag;
        private final String optimization;

        private Compilation(RootedFiles image, String identity, String tag, String optimization) {
            this.image = image;
            this.identity = identity;
            this.tag = tag;
            this.optimization = optimization;
        }

        static Optional<Compilation> of(RootedFiles image, String python, String options, String compiler) throws IOException {
            Matcher version = PYTHON.matcher(python);
            if (!version.matches() || !COMPILER.matcher(compiler).matches()) {
                return Optional.empty();
            }
            String level = "";
            for (String option : options.strip().split("\\s+")) {
                switch (option) {
                    case "", "-E", "-S" -> { }
                    case "-O" -> level = ".opt-1";
                    case "-OO" -> level = ".opt-2";
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            Path interpreter = image.resolve(python, false);
            Path module = image.resolve(compiler, false);
            if (!Files.isRegularFile(interpreter, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(module, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            String identity = String.join("\n", python, IDENTITIES.of(interpreter), compiler, IDENTITIES.of(module),
                    options.strip());
            return Optional.of(new Compilation(image, identity, "cpython-3" + version.group(1), level));
        }

        /**
         * Whether compiling the file makes the interpreter import a codec (a coding declaration,
         * or a UTF-8 byte order mark): that import writes the codec's .pyc as a side effect, so
         * such a file is always compiled by the interpreter.
         */
        static boolean decodesWithCodec(Path source) throws IOException {
            byte[] head;
            try (java.io.InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
                head = in.readNBytes(1024);
            }
            if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
                return true;
            }
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\n", 3);
            for (int i = 0; i < Math.min(2, lines.length); i++) {
                if (CODING.matcher(lines[i]).find()) {
                    return true;
                }
            }
            return false;
        }

        /** The same interpreter and compiler driven by py3compile ({@code -m py_compile -}): entries of their own. */
        Compilation forPy3compile() {
            return new Compilation(image, identity + "\npy3compile", tag, optimization);
        }

        /**
         * Whether py3compile may leave the file's .pyc as it is: it does when the first 12 bytes are
         * the interpreter's magic, zero flags and the source's mtime. Whatever the magic, such a
         * file is not written over; where the magic differs py3compile compiles it itself.
         */
        boolean current(String file) throws IOException {
            Path pyc = image.resolve(pycPath(file), false);
            SourceStat source = SourceStat.of(image.resolve(file, true));
            if (source == null || !Files.isRegularFile(pyc, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            byte[] head;
            try (java.io.InputStream in = Files.newInputStream(pyc, LinkOption.NOFOLLOW_LINKS)) {
                head = in.readNBytes(12);
            }
            if (head.length < 12) {
                return false;
            }
            ByteBuffer header = ByteBuffer.wrap(head, 4, 8).order(ByteOrder.LITTLE_ENDIAN);
            return header.getInt() == 0 && header.getInt() == (int) source.mtimeSeconds();
        }

        /** Where py_compile writes the .pyc of {@code file}: {@code DIR/__pycache__/NAME.TAG[.opt-N].pyc}. */
        String pycPath(String file) {
            return file.substring(0, file.lastIndexOf('/')) + "/__pycache__/" + pycName(file);
        }

        String pycName(String file) {
            return file.substring(file.lastIndexOf('/') + 1, file.length() - ".py".length()) + "." + tag + optimization + ".pyc";
        }

        /**
         * Writes {@code bytes} where py_compile would, as it would: {@code __pycache__} made 0755 when
         * missing, the file replaced atomically, its mode the source's with owner-write, less
         * group and other write (umask 022), owned by root. False, with nothing written, where
         * py_compile would fail or do otherwise (no directory, something else at the path).
         */
        boolean write(String file, Path directory, SourceStat source, byte[] bytes) throws IOException {
            if (!matches(bytes, source)) {
                return false;
            }
            Path cache = directory.resolve("__pycache__");
            Path pyc = cache.resolve(pycName(file));
            int cacheType = Lstat.type(cache);
            if (cacheType == 0) {
                try {
                    Files.createDirectory(cache);
                    Posix.lchown(cache, 0, 0);
                    Posix.chmod(cache, 0755);
                } catch (FileAlreadyExistsException e) {
                    // another file of the same directory made it just now
                }
            } else if (cacheType != Posix.S_IFDIR) {
                return false;
            }
            int pycType = Lstat.type(pyc);
            if (pycType != 0 && pycType != Posix.S_IFREG) {
                return false;
            }
            int mode = (source.mode() | 0200) & 0666 & ~022;
            Path temp = cache.resolve(pyc.getFileName() + ".dormant-new");
            Files.write(temp, bytes);
            Posix.lchown(temp, 0, 0);
            Posix.chmod(temp, mode);
            Files.move(temp, pyc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }

        /** The .pyc the interpreter wrote for {@code file}, when its header matches the source. */
        Optional<byte[]> written(String file) throws IOException {
            Path pyc = image.resolve(pycPath(file), false);
            if (!Files.isRegularFile(pyc, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(pyc);
            return matches(bytes, SourceStat.of(image.resolve(file, true))) ? Optional.of(bytes) : Optional.empty();
        }

        /** A timestamp-invalidated .pyc header (flags 0) naming this source's mtime and size. */
        private static boolean matches(byte[] pyc, SourceStat source) {
            if (source == null || pyc.length < HEADER) {
                return false;
            }
            ByteBuffer header = ByteBuffer.wrap(pyc, 4, 12).order(ByteOrder.LITTLE_ENDIAN);
            return header.getInt() == 0 && header.getInt() == (int) source.mtimeSeconds()
                    && header.getInt() == (int) source.size();
        }
    }

    /** SHA-256 of files, remembered while their size, mtime, ctime and inode stay the same. */
    private static final class FileHashes {
        private final java.util.Map<String, String> byIdentity = new java.util.concurrent.ConcurrentHashMap<>();

        String of(Path file) throws IOException {
            java.util.Map<String, Object> a = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime",
                    LinkOption.NOFOLLOW_LINKS);
            String key = file + "\0" + a.get("dev") + "\0" + a.get("ino") + "\0" + a.get("size") + "\0"
                    + a.get("lastModifiedTime") + "\0" + a.get("ctime");
            String known = byIdentity.get(key);
            if (known == null) {
                known = ObjectId.hashFile(file).hex();
                byIdentity.put(key, known);
            }
            return known;
        }
    }

    /** What py_compile reads of a source file: mtime (whole seconds, as the header keeps it), size and mode. */
    private record SourceStat(long mtimeSeconds, long size, int mode) {

        /** Null unless {@code path} is a regular file (symlinks already followed inside the image). */
        static SourceStat of(Path path) throws IOException {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            java.util.Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            return new SourceStat(Math.floorDiv(((java.nio.file.attribute.FileTime) attributes.get("lastModifiedTime"))
                    .toMillis(), 1000L), (Long) attributes.get("size"), (Integer) attributes.get("mode") & 07777);
        }
    }
}
