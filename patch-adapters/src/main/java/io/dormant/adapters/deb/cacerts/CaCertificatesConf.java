package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The postinst's rewrite of /etc/ca-certificates.conf from the debconf answers: each line kept,
 * selected or deselected by grep matches against the enabled and available lists, then the
 * enabled ones the file lacks, then the available ones neither enabled nor deselected. Lines are
 * bytes as ISO-8859-1 characters; what the shell's read or echo would change (a backslash, a
 * leading dash) is refused.
 */
final class CaCertificatesConf {

    private final RootedFiles image;

    CaCertificatesConf(RootedFiles image) {
        this.image = image;
    }

    /** {@code while read line … done < conf}: complete lines only, blanks trimmed at both ends. */
    static List<String> readLines(byte[] conf) throws CertificateFormatException {
        String text = Latin1.of(conf);
        Latin1.text(text);
        if (text.contains("\\")) {
            throw new CertificateFormatException(UpdateCaCertificates.CONF + " holds a backslash, which the shell's read takes away");
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
            lines.add(UpdateCaCertificates.read(text.substring(from, end)));
            from = end + 1;
        }
        return lines;
    }

    /** The file's raw lines as the config script's sed sees them, the last one even without a newline. */
    static List<String> sedLines(byte[] conf) {
        String text = Latin1.of(conf);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    byte[] rewrite(byte[] conf, CaCertificatesDebconf.Answers answers) throws IOException, CertificateFormatException {
        String enabled = answers.enabled();
        String available = answers.available();
        List<String> out = new ArrayList<>();
        for (String line : readLines(conf)) {
            if (line.startsWith("#")) {
                out.add(echoed(line));
                continue;
            }
            String ca = line.startsWith("!") ? line.substring(1) : line;
            if (CommaList.member(ca, enabled)) {
                out.add(echoed(ca));
            } else if (CommaList.member(ca, available) || line.startsWith("!")) {
                out.add("!" + ca);
            } else if (isFile(UpdateCaCertificates.CERTS_DIR + "/" + ca) || isFile(UpdateCaCertificates.LOCAL_CERTS_DIR + "/" + ca)) {
                out.add(echoed(ca));
            } else {
                out.add("!" + ca);
            }
        }
        if (!enabled.matches("(?d)^([ \\t\\n\\x0B\\f\\r]*,)*[ \\t\\n\\x0B\\f\\r]*$")) {
            for (String ca : CommaList.readValues(enabled)) {
                if (!GrepPattern.of("", ca, false).anyMatch(out)) {
                    out.add(echoed(ca));
                }
            }
        }
        for (String ca : CommaList.readValues(available)) {
            if (!CommaList.member(ca, enabled) && !GrepPattern.of("!", ca, false).anyMatch(out)) {
                out.add("!" + ca);
            }
        }
        StringBuilder text = new StringBuilder();
        out.forEach(l -> text.append(l).append('\n'));
        return Latin1.bytes(text.toString());
    }

    private boolean isFile(String path) throws IOException, CertificateFormatException {
        return Files.isRegularFile(image.resolve(Latin1.text(path), true));
    }

    /** dash's echo takes a leading -n as its option. */
    private static String echoed(String line) throws CertificateFormatException {
        if (line.startsWith("-")) {
            throw new CertificateFormatException("a line starting with a dash, which echo may take as an option: " + line);
        }
        return line;
    }
}
