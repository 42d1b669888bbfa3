package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The postinst's /usr/local/share/ca-certificates: created with /usr/local's mode and group when
 * missing, otherwise given /usr/local's mode and owner unless dpkg-statoverride lists it. A
 * symbolic link, a file, or set-id bits (which GNU chmod keeps on directories its own way) are
 * refused.
 */
final class LocalCertificatesDir {

    static final String USR_LOCAL = "/usr/local";
    static final String STATOVERRIDE = "/var/lib/dpkg/statoverride";

    private LocalCertificatesDir() {
    }

    /** The action for this image, or empty when the postinst changes nothing here. */
    static Optional<EmulatedAction> action(RootedFiles image) throws IOException, CertificateFormatException {
        Path usrLocal = image.resolve(USR_LOCAL, true);
        if (!Files.isDirectory(usrLocal)) {
            throw new CertificateFormatException(USR_LOCAL + " is not a directory");
        }
        Map<String, Object> model = Files.readAttributes(usrLocal, "unix:mode,uid,gid");
        int mode = (Integer) model.get("mode") & 07777;
        int uid = (Integer) model.get("uid");
        int gid = (Integer) model.get("gid");
        if ((mode & 07000) != 0) {
            throw new CertificateFormatException(USR_LOCAL + " has set-id or sticky bits");
        }
        String dir = UpdateCaCertificates.LOCAL_CERTS_DIR;
        Path local = image.resolve(dir, false);
        String line = "install -d -m " + Integer.toOctalString(mode) + " -o " + uid + " -g " + gid + " " + dir;
        if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(local.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // mkdir fails quietly
            }
            return Optional.of(new EmulatedAction("file-mode", line, tree -> {
                Path made = Files.createDirectory(tree.resolve(dir, false));
                Posix.chmod(made, mode);
                Posix.lchown(made, 0, gid);
            }));
        }
        if (Files.isSymbolicLink(local) || !Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(dir + " is not a plain directory");
        }
        if (overridden(image, dir)) {
            return Optional.empty();
        }
        if (((Integer) Files.getAttribute(local, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07000) != 0) {
            throw new CertificateFormatException(dir + " has set-id or sticky bits");
        }
        return Optional.of(new EmulatedAction("file-mode", line, tree -> {
            Path existing = tree.resolve(dir, false);
            Posix.chmod(existing, mode);
            Posix.lchown(existing, uid, gid);
        }));
    }

    /** {@code dpkg-statoverride --list PATH}: a line of the statoverride file for this path. */
    private static boolean overridden(RootedFiles image, String dir) throws IOException {
        Path file = image.resolve(STATOVERRIDE, true);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(l -> l.strip().split("\\s+", 4)).anyMatch(f -> f.length == 4 && f[3].equals(dir));
    }
}
