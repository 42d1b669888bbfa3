package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code dpkg-trigger --no-await NAME}: the trigger noted in /var/lib/dpkg/triggers/Unincorp with
 * no awaiting package ("-"), where dpkg (and the apply) takes it in. Only an empty Unincorp is
 * taken, the state between two scripts of an apply; merging into other lines is left to dpkg-trigger.
 */
final class DpkgTriggerNoAwait {

    static final String TRIGGERS = "/var/lib/dpkg/triggers";

    private DpkgTriggerNoAwait() {
    }

    static EmulatedAction action(RootedFiles image, String trigger) throws IOException, CertificateFormatException {
        Path dir = image.resolve(TRIGGERS, true);
        if (!Files.isRegularFile(dir.resolve("Lock"), LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(TRIGGERS + "/Lock is missing");
        }
        Path unincorp = dir.resolve("Unincorp");
        if (!Files.isRegularFile(unincorp, LinkOption.NOFOLLOW_LINKS) || Files.size(unincorp) != 0) {
            throw new CertificateFormatException(TRIGGERS + "/Unincorp is not empty: dpkg-trigger merges into it");
        }
        String line = "dpkg-trigger --no-await " + trigger;
        return new EmulatedAction(CaCertificatesPostinst.TRIGGER, line, tree -> {
            Path target = tree.resolve(TRIGGERS + "/Unincorp", false);
            Path next = target.resolveSibling("Unincorp.new");
            Files.write(next, (trigger + " -\n").getBytes(StandardCharsets.UTF_8));
            Posix.chmod(next, 0644);
            Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }
}
