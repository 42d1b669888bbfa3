package io.dormant.adapters.deb.emulate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The states ca-certificates' postinst meets, built from the real files: the service image with the
 * new package unpacked as dpkg leaves it before configure (payload over the old one, files the new
 * version lacks removed, control files in /var/lib/dpkg/info), and that state configured as the
 * oracle's dpkg left it, plus a local certificate and a deselected one.
 */
final class CaCertificatesStage {

    private CaCertificatesStage() {
    }

    static Path newPackage() throws Exception {
        String configured = System.getenv("DORMANT_TEST_UPDATES");
        Path updates = Path.of(configured != null ? configured : "/var/cache/dormant-test/debian-updates/bookworm-f67a2e133631801a");
        Assumptions.assumeTrue(Files.isDirectory(updates), "no update set at " + updates);
        try (Stream<Path> files = Files.list(updates)) {
            return files.filter(p -> p.getFileName().toString().startsWith("ca-certificates_")).findFirst()
                    .orElseThrow(() -> new org.opentest4j.TestAbortedException("no ca-certificates package in " + updates));
        }
    }

    static Path unpacked(Path image, Path deb, Path stage) throws Exception {
        run("cp", "-a", image.toString(), stage.toString());
        Path info = stage.resolve("var/lib/dpkg/info");
        Set<String> newFiles = new HashSet<>();
        for (String entry : output("sh", "-c", "dpkg-deb --fsys-tarfile '" + deb + "' | tar -t").split("\n")) {
            newFiles.add(entry.replaceFirst("^\\.", "").replaceFirst("/$", ""));
        }
        for (String old : Files.readAllLines(info.resolve("ca-certificates.list"))) {
            Path file = stage.resolve(old.substring(1));
            if (!newFiles.contains(old) && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
        }
        run("dpkg-deb", "-x", deb.toString(), stage.toString());
        Path control = Files.createDirectories(stage.getParent().resolve("control"));
        run("dpkg-deb", "-e", deb.toString(), control.toString());
        for (String name : List.of("postinst", "postrm", "config", "templates", "triggers", "md5sums")) {
            if (Files.exists(control.resolve(name))) {
                run("cp", "-p", control.resolve(name).toString(), info.resolve("ca-certificates." + name).toString());
            }
        }
        return stage;
    }

    /** The oracle's configured list, a local certificate (odd name, whitespace in its subject, no final newline), a copy of a trusted one, and one deselected. */
    static Path configuredWithLocalAndDeselected(Path unpacked, Path copy) throws Exception {
        run("cp", "-a", unpacked.toString(), copy.toString());
        String oracle = System.getenv("DORMANT_TEST_ORACLE");
        Path conf = Path.of(oracle != null ? oracle : "/var/cache/dormant-test/oracle/bookworm-service-v1", "etc/ca-certificates.conf");
        Assumptions.assumeTrue(Files.isRegularFile(conf), "no oracle tree");
        String text = Files.readString(conf, StandardCharsets.UTF_8)
                .replace("\nmozilla/ISRG_Root_X2.crt\n", "\n!mozilla/ISRG_Root_X2.crt\n");
        Files.writeString(copy.resolve("etc/ca-certificates.conf"), text, StandardCharsets.UTF_8);
        Path local = Files.createDirectories(copy.resolve("usr/local/share/ca-certificates/local"));
        Path key = copy.getParent().resolve(copy.getFileName() + ".key");
        Path cert = local.resolve("Dormant Test Root (local).crt");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-subj", "/O=Dormant  Tests/CN=  Dormant   Test ROOT ", "-keyout", key.toString(), "-out", cert.toString());
        byte[] pem = Files.readAllBytes(cert);
        Files.write(cert, java.util.Arrays.copyOf(pem, pem.length - 1));
        Files.copy(copy.resolve("usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt"),
                copy.resolve("usr/local/share/ca-certificates/My Copy of ISRG Root X1.crt"));
        return copy;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        process.waitFor();
        return new String(out, StandardCharsets.UTF_8);
    }
}
