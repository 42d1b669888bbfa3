package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code update-ca-certificates} of the ca-certificates package in Java (the tool spends its time
 * starting sed, readlink and basename a few times per certificate): the .pem links in
 * /etc/ssl/certs for the certificates /etc/ca-certificates.conf selects and for those under
 * /usr/local/share/ca-certificates, the removal of deselected ones, the bundle with a newline
 * added to a certificate that lacks one, and, when a link changed, the removal of dangling links
 * and {@link OpensslRehash}. {@link #check} says beforehand when a case is one the shell would
 * handle differently (a backslash, which {@code read} eats, a .pem name that is a directory, a
 * certificate OpenSSL might read otherwise, hooks to run, SELinux), so that the tool runs instead.
 *
 * <p>The one hook followed is ca-certificates-java's {@code jks-keystore} (by its hash): it appends
 * the tool's list of added ({@code +PEM}) and removed ({@code -PEM}) links to
 * /var/lib/ca-certificates-java/pending and activates {@code update-ca-certificates-java}, whose
 * trigger (a JVM rewriting the Java keystore) then runs as the apply's other triggers do.
 */
final class UpdateCaCertificates {

    static final String CONF = "/etc/ca-certificates.conf";
    static final String CERTS_DIR = "/usr/share/ca-certificates";
    static final String LOCAL_CERTS_DIR = "/usr/local/share/ca-certificates";
    static final String ETC_CERTS_DIR = "/etc/ssl/certs";
    static final String BUNDLE = "ca-certificates.crt";
    static final String HOOKS_DIR = "/etc/ca-certificates/update.d";
    static final String JAVA_HOOK = "jks-keystore";
    /** ca-certificates-java 20230710~deb12u1 (bookworm). */
    private static final String JAVA_HOOK_SHA256 = "254a87ea1f9fe37751e3ed90a79013f3424c7a5fe26bfe59fac312abff82dbda";
    static final String JAVA_PENDING_DIR = "/var/lib/ca-certificates-java";
    static final String JAVA_TRIGGER = "update-ca-certificates-java";

    private final RootedFiles image;
    private final boolean fresh;
    private final boolean hooks;
    /** Whether the Java keystore hook runs after the tool (found by {@link #check}). */
    private boolean javaHook;
    /** The tool's ADDED and REMOVED files, in the order it writes them. */
    private final List<String> added = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final OpensslRehash rehash;

    /** {@code --fresh} when fresh; {@code --hooksdir ""} when not hooks. */
    UpdateCaCertificates(RootedFiles image, boolean fresh, boolean hooks) {
        this.image = image;
        this.fresh = fresh;
        this.hooks = hooks;
        this.rehash = new OpensslRehash(image);
    }

    /** Throws when the tool, run over a configuration of these bytes, would do what this class does not. */
    void check(byte[] conf) throws IOException, CertificateFormatException {
        if (new String(conf, StandardCharsets.ISO_8859_1).contains("\\")) {
            throw new CertificateFormatException(CONF + " holds a backslash, which the tool's read handles its own way");
        }
        Path certs = image.resolve(ETC_CERTS_DIR, true);
        if (!Files.isDirectory(certs, LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(ETC_CERTS_DIR + " is not a directory");
        }
        if (Files.exists(certs.resolve(BUNDLE + ".new"), LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(ETC_CERTS_DIR + "/" + BUNDLE + ".new is left from an earlier run");
        }
        if (Files.isExecutable(image.resolve("/sbin/restorecon", true))) {
            throw new CertificateFormatException("the image has SELinux's restorecon");
        }
        javaHook = hooks && javaKeystoreHookOnly();
        try (Stream<Path> below = Files.walk(certs)) {
            if (below.anyMatch(p -> !p.getParent().equals(certs) && p != certs && Files.isSymbolicLink(p))) {
                throw new CertificateFormatException("symbolic links below a subdirectory of " + ETC_CERTS_DIR);
            }
        }
        List<String> added = new ArrayList<>(selected(conf));
        added.addAll(localCertificates());
        for (String cert : added) {
            if (Files.isDirectory(image.resolve(pemFor(cert), true))) {
                throw new CertificateFormatException(pemFor(cert) + " is a directory");
            }
            rehash.read(image.resolve(cert, true), cert);
        }
        rehash.check(ETC_CERTS_DIR);
    }

    void run() throws IOException, CertificateFormatException {
        Path confFile = image.resolve(CONF, true);
        byte[] conf = Files.isRegularFile(confFile) ? Files.readAllBytes(confFile) : new byte[0];
        Path certs = image.resolve(ETC_CERTS_DIR, true);
        if (fresh || conf.length == 0) {
            clearLinks(certs);
        }
        int changed = 0;
        for (String line : lines(conf)) {
            if (line.startsWith("!")) {
                String pem = ETC_CERTS_DIR + "/" + basename(CERTS_DIR + "/" + read(line.substring(1))) + ".pem";
                if (Files.isSymbolicLink(image.resolve(pem, false))) {
                    Files.delete(image.resolve(pem, false));
                    removed.add("-" + pem);
                    changed++;
                }
            }
        }
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        boolean anyAdded = false;
        List<String> added = new ArrayList<>(selected(conf));
        added.addAll(localCertificates());
        for (String cert : added) {
            changed += add(cert, bundle) ? 1 : 0;
            anyAdded = true;
        }
        if (changed > 0) {
            removeDangling(certs);
            rehash.rehash(ETC_CERTS_DIR);
        }
        if (anyAdded) {
            Path next = certs.resolve(BUNDLE + ".new");
            Files.write(next, bundle.toByteArray());
            Posix.chmod(next, 0644);
            Files.move(next, certs.resolve(BUNDLE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        if (javaHook) {
            recordForJava();
        }
    }

    /** Whether the Java keystore hook runs after the tool; its trigger is the caller's to note. */
    boolean runsJavaHook() {
        return javaHook;
    }

    /** {@code mkdir -p DIR; cat - >> DIR/pending} with {@code (cat ADDED; cat REMOVED)} as input. */
    private void recordForJava() throws IOException {
        Path dir = image.resolve(JAVA_PENDING_DIR, true);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
            Posix.lchown(dir, 0, 0);
            Posix.chmod(dir, 0755);
        }
        Path pending = dir.resolve("pending");
        StringBuilder lines = new StringBuilder();
        for (String line : added) {
            lines.append(line).append('\n');
        }
        for (String line : removed) {
            lines.append(line).append('\n');
        }
        boolean made = !Files.exists(pending, LinkOption.NOFOLLOW_LINKS);
        Files.write(pending, lines.toString().getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        if (made) {
            Posix.lchown(pending, 0, 0);
            Posix.chmod(pending, 0644);
        }
    }

    /** add(): the link when it is missing or points elsewhere; the certificate, newline-terminated, into the bundle. */
    private boolean add(String cert, ByteArrayOutputStream bundle) throws IOException {
        String pem = pemFor(cert);
        Path link = image.resolve(pem, false);
        boolean relink = !Files.exists(image.resolve(pem, true))
                || !Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).toString().equals(cert);
        if (relink) {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(cert));
            added.add("+" + pem);
        }
        byte[] content = Files.readAllBytes(image.resolve(cert, true));
        bundle.writeBytes(content);
        if (content.length > 0 && content[content.length - 1] != '\n') {
            bundle.write('\n');
        }
        return relink;
    }

    /** The certificates the configuration selects that exist; the tool warns about the others and goes on. */
    private List<String> selected(byte[] conf) throws IOException {
        List<String> certs = new ArrayList<>();
        for (String line : lines(conf)) {
            if (!line.startsWith("#") && !line.startsWith("!")) {
                String cert = CERTS_DIR + "/" + read(line);
                if (Files.isRegularFile(image.resolve(cert, true))) {
                    certs.add(cert);
                }
            }
        }
        return certs;
    }

    /** {@code find -L LOCALCERTSDIR -type f -name '*.crt' | sort}, resolved inside the image. */
    private List<String> localCertificates() throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(image.resolve(LOCAL_CERTS_DIR, true))) {
            walk(LOCAL_CERTS_DIR, found, new HashSet<>());
        }
        found.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        return found;
    }

    private void walk(String dir, List<String> found, Set<String> seen) throws IOException {
        if (!seen.add(image.canonical(dir))) {
            return; // find -L reports the loop and does not go round it
        }
        List<String> names;
        try (Stream<Path> entries = Files.list(image.resolve(dir, true))) {
            names = entries.map(p -> p.getFileName().toString()).toList();
        }
        for (String name : names) {
            String path = dir + "/" + name;
            Path resolved = image.resolve(path, true);
            if (Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
                walk(path, found, seen);
            } else if (name.endsWith(".crt") && Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
                if (!path.equals(read(path)) || path.contains("\n") || path.contains("\\")) {
                    throw new IOException("a local certificate name the tool's read would change: " + path);
                }
                found.add(path);
            }
        }
    }

    /** --fresh: links into the certificate directories go, and then every link that does not end at a file. */
    private void clearLinks(Path certs) throws IOException {
        for (Path link : links(certs)) {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith(CERTS_DIR) || target.startsWith(LOCAL_CERTS_DIR)) {
                Files.delete(link);
            }
        }
        for (Path link : links(certs)) {
            if (!Files.isRegularFile(image.resolve(image.imagePath(link), true))) {
                Files.delete(link);
            }
        }
    }

    private void removeDangling(Path certs) throws IOException {
        for (Path link : links(certs)) {
            if (!Files.exists(image.resolve(image.imagePath(link), true))) {
                Files.delete(link);
            }
        }
    }

    private static List<Path> links(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(Files::isSymbolicLink).toList();
        }
    }

    /**
     * False when no hook would run; true when the only one is ca-certificates-java's, as shipped,
     * with somewhere to record its list; otherwise the tool runs for real.
     */
    private boolean javaKeystoreHookOnly() throws IOException, CertificateFormatException {
        Path dir = image.resolve(HOOKS_DIR, true);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        List<Path> hooks;
        try (Stream<Path> entries = Files.list(dir)) {
            // run-parts takes names of letters, digits, - and _ only; any such entry may be a hook.
            hooks = entries.filter(p -> p.getFileName().toString().matches("[A-Za-z0-9_-]+")).toList();
        }
        if (hooks.isEmpty()) {
            return false;
        }
        Path hook = hooks.get(0);
        if (hooks.size() > 1 || !hook.getFileName().toString().equals(JAVA_HOOK)
                || !Files.isRegularFile(hook, LinkOption.NOFOLLOW_LINKS) || !Files.isExecutable(hook)
                || !io.dormant.library.store.ObjectId.hashFile(hook).hex().equals(JAVA_HOOK_SHA256)) {
            throw new CertificateFormatException("hooks in " + HOOKS_DIR + " would run");
        }
        Path pendingDir = image.resolve(JAVA_PENDING_DIR, true);
        if (Files.exists(pendingDir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(pendingDir, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(pendingDir.resolve("pending"), LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(pendingDir.resolve("pending"), LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(JAVA_PENDING_DIR + "/pending is not a plain file in a directory");
        }
        return true;
    }

    /** The configuration's complete lines, without empty ones; sed hands the tool's read no unterminated last line. */
    private static List<String> lines(byte[] conf) {
        String text = new String(conf, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return Stream.of(text.substring(0, end).split("\n", -1)).filter(l -> !l.isEmpty()).toList();
    }

    /** What the shell's {@code read} leaves of a line without backslashes: blanks and tabs trimmed at both ends. */
    static String read(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && (line.charAt(from) == ' ' || line.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (line.charAt(to - 1) == ' ' || line.charAt(to - 1) == '\t')) {
            to--;
        }
        return line.substring(from, to);
    }

    /** The .pem link of a certificate: its base name without .crt, spaces and commas as _, parentheses as =. */
    static String pemFor(String cert) {
        return ETC_CERTS_DIR + "/" + basename(cert).replace(' ', '_').replace('(', '=').replace(')', '=').replace(',', '_')
                + ".pem";
    }

    /** {@code basename PATH .crt}. */
    static String basename(String path) {
        String trimmed = path.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.endsWith(".crt") && !name.equals(".crt") ? name.substring(0, name.length() - 4) : name;
    }
}
