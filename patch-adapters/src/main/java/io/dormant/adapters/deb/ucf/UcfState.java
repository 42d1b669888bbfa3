package io.dormant.adapters.deb.ucf;

import io.dormant.adapters.deb.DebMd5sums;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ucf's records in an image ({@code /var/lib/ucf}: {@code hashfile} with the md5 of the maintainer's
 * version of each managed file, {@code hashfile.0} to {@code .7} its earlier states, {@code cache}
 * with the versions themselves, {@code registry} with each file's package) and the changes ucf 3.0
 * makes to them, step for step as its shell code does: the same files, lines and order.
 */
final class UcfState {

    static final String DIR = "/var/lib/ucf";
    private static final String CONF = "/etc/ucf.conf";
    /** ucf keeps the maintainer's version in its cache for a three-way merge, or when it is small. */
    private static final long CACHED_BELOW = 25600;
    /**
     * Paths read alike by every tool on the way: ucf quotes them for grep, ucfr escapes only '+',
     * and sed takes them as a pattern and a replacement. In these characters the only difference is
     * ucfr's '.', which matches any character, and is matched so here too.
     */
    private static final Pattern PLAIN = Pattern.compile("(/[A-Za-z0-9_.+:@-]+)+");

    private final RootedFiles image;

    private UcfState(RootedFiles image) {
        this.image = image;
    }

    /** The image's ucf records, or null when ucf would not use the default ones in the plain way followed here. */
    static UcfState of(RootedFiles image) throws IOException {
        Path conf = image.resolve(CONF, false);
        if (Files.exists(conf, LinkOption.NOFOLLOW_LINKS)) {
            // ucf sources it as shell: any setting (state directory, forced answers) is not followed.
            if (!Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            for (String line : Files.readAllLines(conf, StandardCharsets.ISO_8859_1)) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    return null;
                }
            }
        }
        if (!DIR.equals(image.canonical(DIR)) || !Files.isDirectory(image.resolve(DIR + "/cache", false), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return new UcfState(image);
    }

    static boolean plain(String path) {
        // Normalizing removes every "." and ".." name, so an equal path has none.
        return PLAIN.matcher(path).matches() && Path.of(path).normalize().toString().equals(path);
    }

    /**
     * What ucf does for NEW and an existing DEST when that needs no question; empty (nothing
     * changed) otherwise. The answer says what was done.
     */
    Optional<String> update(String newFile, String destFile, boolean threeWay) throws IOException {
        Path hashfile = image.resolve(DIR + "/hashfile", false);
        List<String> lines = textLines(hashfile);
        if (lines == null) {
            return Optional.empty();
        }
        List<String> registered = lines.stream().filter(line -> endsWithSpaceAnd(line, destFile)).toList();
        if (registered.size() != 1) {
            // None: ucf looks for historical md5sums or asks. Several: its comparisons see them all.
            return Optional.empty();
        }
        String lastsum = firstField(registered.get(0));
        Path newHost = image.resolve(newFile, false);
        Path destHost = image.resolve(destFile, false);
        String newsum = DebMd5sums.of(newHost);
        String destsum = DebMd5sums.of(destHost);
        if (lastsum.isEmpty()) {
            return Optional.empty();
        }
        if (lastsum.equals(newsum)) {
            return Optional.of("the registered version is the new one; nothing to do");
        }
        if (destsum.equals(lastsum)) {
            // replace_conf_file: cp -f writes into the destination, which keeps its owner and mode.
            try (InputStream in = Files.newInputStream(newHost, LinkOption.NOFOLLOW_LINKS);
                 OutputStream out = Files.newOutputStream(destHost, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(out);
            }
            replaceMd5sum(lines, newFile, newsum, destFile, threeWay);
            return Optional.of("unchanged since registered, so replaced by the new version");
        }
        if (destsum.equals(newsum)) {
            replaceMd5sum(lines, newFile, newsum, destFile, threeWay);
            return Optional.of("already the new version; registered");
        }
        return Optional.empty();
    }

    /** Whether FILE has exactly one registry line, and it names PACKAGE (ucfr then changes nothing). */
    boolean registeredTo(String pkg, String file) throws IOException {
        List<String> lines = textLines(image.resolve(DIR + "/registry", false));
        if (lines == null) {
            return false;
        }
        Pattern entry = Pattern.compile("\\s" + file.replace("+", "\\+") + "$");
        List<String> matching = lines.stream().filter(line -> entry.matcher(line).find()).toList();
        return matching.size() == 1 && firstField(matching.get(0)).equals(pkg);
    }

    /** replace_md5sum: the backups shift by one, the file's line moves to the end with the new md5, the version is cached. */
    private void replaceMd5sum(List<String> lines, String newFile, String newsum, String destFile, boolean threeWay)
            throws IOException {
        for (int i = 6; i >= 0; i--) {
            Path backup = image.resolve(DIR + "/hashfile." + i, false);
            if (Files.exists(backup)) {
                copyPreserving(backup, image.resolve(DIR + "/hashfile." + (i + 1), false));
            }
        }
        Path hashfile = image.resolve(DIR + "/hashfile", false);
        copyPreserving(hashfile, image.resolve(DIR + "/hashfile.0", false));
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (!endsWithSpaceAnd(line, destFile)) {
                text.append(line).append('\n');
            }
        }
        text.append(newsum).append("  ").append(destFile).append('\n');
        // Written to hashfile.tmp by the shell (umask 022, root) and moved over hashfile.
        Path temp = image.resolve(DIR + "/hashfile.tmp", false);
        Files.deleteIfExists(temp);
        Files.write(temp, text.toString().getBytes(StandardCharsets.UTF_8));
        Posix.lchown(temp, 0, 0);
        Posix.chmod(temp, 0644);
        Files.move(temp, hashfile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path newHost = image.resolve(newFile, false);
        if (threeWay || Files.size(newHost) < CACHED_BELOW) {
            copyPreserving(newHost, image.resolve(DIR + "/cache/" + destFile.replace('/', ':'), false));
        }
    }

    /** cp -pf: content, mode, owner and times. */
    private static void copyPreserving(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    /** grep's "[[:space:]]PATH$" with PATH literal. */
    private static boolean endsWithSpaceAnd(String line, String path) {
        int at = line.length() - path.length() - 1;
        return at >= 0 && line.endsWith(path) && isSpace(line.charAt(at));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** awk's $1: the first run of characters other than blanks. */
    private static String firstField(String line) {
        String[] fields = line.strip().split("[ \t\n]+");
        return fields.length == 0 ? "" : fields[0];
    }

    /**
     * The file's lines as grep reads them, or null where grep would not read text lines: a file
     * missing or not regular, NUL bytes or invalid UTF-8 (grep calls such a file binary).
     */
    private static List<String> textLines(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            return null;
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
