package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.deb.DebianVersion;
import io.dormant.adapters.deb.debconf.DebconfDatabases;
import io.dormant.adapters.deb.debconf.DebconfException;
import io.dormant.adapters.deb.debconf.DebconfTemplateFile;
import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.deb.emulate.ScriptShape;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code postinst configure OLD-VERSION} of ca-certificates: the local certificate directory,
 * debconf (the frontend loads the templates and runs the config script first, all non-interactive),
 * the rewrite of /etc/ca-certificates.conf, update-ca-certificates without hooks, and the deferred
 * trigger. Everything is read and decided first, against the image as it is; the effects then
 * replay what was decided.
 */
final class CaCertificatesConfigure {

    static final String INFO = "/var/lib/dpkg/info/ca-certificates.";
    /** The config script of 20230311 to 20250419 with its CERTS_LIST emptied (the list changes with each release). */
    private static final Set<String> CONFIG_SHAPES = Set.of(
            "dea246150ee99d248d3202520790cbb44d53655022fcdae55369f843601851ad");
    private static final Pattern CERTS_LIST = Pattern.compile("(?dm)^CERTS_LIST=\"([^\"$`\\\\]*)\"$");

    private CaCertificatesConfigure() {
    }

    static List<EmulatedAction> actions(RootedFiles image, String oldVersion) throws IOException, CertificateFormatException {
        List<EmulatedAction> actions = new ArrayList<>();
        LocalCertificatesDir.action(image).ifPresent(actions::add);
        byte[] conf = existingConf(image);
        DebconfDatabases db;
        CaCertificatesDebconf.Answers answers;
        try {
            db = DebconfDatabases.open(image);
            db.loadTemplates("ca-certificates", DebconfTemplateFile.read(infoFile(image, "templates")));
            CaCertificatesDebconf debconf = new CaCertificatesDebconf(db);
            debconf.config(CaCertificatesConf.sedLines(conf), shipped(image), certsList(infoFile(image, "config")));
            answers = debconf.postinst();
        } catch (DebconfException e) {
            throw new CertificateFormatException("debconf: " + e.getMessage());
        }
        actions.add(new EmulatedAction("debconf", "debconf (noninteractive): ca-certificates/enable_crts, trust_new_crts, new_crts",
                tree -> db.save()));
        byte[] rewritten = new CaCertificatesConf(image).rewrite(conf, answers);
        if (!java.util.Arrays.equals(conf, rewritten)) {
            actions.add(new EmulatedAction("debconf", "rewrite " + UpdateCaCertificates.CONF + " (old one kept as .dpkg-old)",
                    tree -> replaceConf(tree, rewritten)));
        }
        // dpkg --compare-versions "$2" lt-nl 20111025: an empty version is not lower.
        boolean fresh;
        try {
            fresh = !oldVersion.isEmpty() && DebianVersion.parse(oldVersion).compareTo(DebianVersion.parse("20111025")) < 0;
        } catch (RuntimeException e) {
            throw new CertificateFormatException("the old version " + oldVersion + " does not parse");
        }
        actions.add(CaCertificatesPostinst.toolRun(image, fresh, false, rewritten));
        actions.add(DpkgTriggerNoAwait.action(image, "update-ca-certificates"));
        return actions;
    }

    private static byte[] existingConf(RootedFiles image) throws IOException, CertificateFormatException {
        Path conf = image.resolve(UpdateCaCertificates.CONF, false);
        if (!Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(UpdateCaCertificates.CONF + " is missing or not a plain file");
        }
        if (Files.exists(image.resolve(UpdateCaCertificates.CONF + ".dpkg-new", false), LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(UpdateCaCertificates.CONF + ".dpkg-new is left from an earlier run");
        }
        return Files.readAllBytes(conf);
    }

    /** {@code mv -f conf conf.dpkg-old; mv conf.dpkg-new conf}, the new one as the shell's redirection made it. */
    private static void replaceConf(RootedFiles tree, byte[] rewritten) throws IOException {
        Path conf = tree.resolve(UpdateCaCertificates.CONF, false);
        Path next = conf.resolveSibling(conf.getFileName() + ".dpkg-new");
        Files.write(next, rewritten);
        Posix.chmod(next, 0644);
        Files.move(conf, conf.resolveSibling(conf.getFileName() + ".dpkg-old"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, conf, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] infoFile(RootedFiles image, String name) throws IOException, CertificateFormatException {
        Path file = image.resolve(INFO + name, true);
        if (!Files.isRegularFile(file)) {
            throw new CertificateFormatException(INFO + name + " is missing");
        }
        return Files.readAllBytes(file);
    }

    /** The config script's CERTS_LIST, when the script around it is one whose logic {@link CaCertificatesDebconf} follows. */
    static String certsList(byte[] config) throws CertificateFormatException {
        String text = Latin1.of(config);
        Matcher list = CERTS_LIST.matcher(text);
        if (!list.find()) {
            throw new CertificateFormatException("the config script has no literal CERTS_LIST");
        }
        String shape = ScriptShape.of(text.substring(0, list.start()) + "CERTS_LIST=\"\"" + text.substring(list.end()));
        if (!CONFIG_SHAPES.contains(shape)) {
            throw new CertificateFormatException("the config script is not a version whose logic Dormant reproduces (" + shape + ")");
        }
        return list.group(1);
    }

    /** {@code cd /usr/share/ca-certificates; find . -type f -name '*.crt'}, without the ./ */
    private static List<String> shipped(RootedFiles image) throws IOException, CertificateFormatException {
        Path root = image.resolve(UpdateCaCertificates.CERTS_DIR, true);
        if (!Files.isDirectory(root)) {
            throw new CertificateFormatException(UpdateCaCertificates.CERTS_DIR + " is missing: a first installation");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String name = root.relativize(p).toString();
                if (name.endsWith(".crt")) {
                    names.add(Latin1.ofName(name));
                }
            }
        }
        return names;
    }
}
