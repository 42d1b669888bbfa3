package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deb-systemd-helper} (init-system-helpers 1.65) for system units, on the image: the same
 * link closure ({@code WantedBy}, {@code RequiredBy}, {@code Alias}, {@code Also}), the same
 * {@code .wants} symlinks and the same state under {@code /var/lib/systemd/deb-systemd-helper-enabled},
 * as the Perl tool leaves them. Cases it does not follow (a mask to undo, a first enable that the
 * tool hands to {@code systemctl preset}, {@code DefaultInstance=}) answer {@link Unsupported}, and
 * the script runs confined instead.
 */
final class DebSystemdHelper {

    static final String ENABLED_STATE = "/var/lib/systemd/deb-systemd-helper-enabled";
    /** The state directories the tool's unmask removes when they are empty. */
    private static final List<String> MASKED_STATE = List.of("/var/lib/systemd/deb-systemd-helper-masked",
            "/var/lib/systemd/deb-systemd-user-helper-masked");
    private static final Pattern WANTED = Pattern.compile("^\\s*(WantedBy|RequiredBy)=(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ALSO = Pattern.compile("^\\s*Also=(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ALIAS = Pattern.compile("^\\s*Alias=(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DEFAULT_INSTANCE = Pattern.compile("^\\s*DefaultInstance=", Pattern.CASE_INSENSITIVE);

    /** A call this emulation does not follow; the script goes to the confine tier. */
    static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    /** One symlink of a unit's closure: {@code link} (under /etc/systemd/system) points to {@code unit}. */
    record Link(String link, String unit) {
    }

    private final RootedFiles image;

    DebSystemdHelper(RootedFiles image) {
        this.image = image;
    }

    String findUnit(String name) throws IOException {
        for (String dir : List.of("/etc/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/")) {
            if (Files.isRegularFile(image.resolve(dir + name, true))) {
                return dir + name;
            }
        }
        return name;
    }

    List<Link> closure(String name) throws IOException, Unsupported {
        return closure(name, findUnit(name), new ArrayList<>());
    }

    private List<Link> closure(String name, String unitPath, List<String> visited) throws IOException, Unsupported {
        if (!unitPath.startsWith("/")) {
            throw new Unsupported("no unit file " + name + " in the image");
        }
        String unitName = unitPath.substring(unitPath.lastIndexOf('/') + 1);
        List<Link> links = new ArrayList<>();
        List<String> wantsDirs = new ArrayList<>();
        for (String line : Files.readString(image.resolve(unitPath, true), StandardCharsets.UTF_8).split("\n")) {
            Matcher wanted = WANTED.matcher(line);
            if (wanted.matches()) {
                for (String value : values(wanted.group(2))) {
                    String kind = wanted.group(1);
                    wantsDirs.add("/etc/systemd/system/" + value + (kind.equals("WantedBy") ? ".wants"
                            : kind.equals("RequiredBy") ? ".requires" : "") + "/");
                }
            }
            Matcher also = ALSO.matcher(line);
            if (also.matches()) {
                for (String value : values(also.group(1))) {
                    if (!value.equals(unitName) && !visited.contains(value)) {
                        visited.add(value);
                        links.addAll(closure(value, findUnit(value), visited));
                    }
                }
            }
            Matcher alias = ALIAS.matcher(line);
            if (alias.matches()) {
                List<String> values = values(alias.group(1));
                if (values.size() != 1 || !values.get(0).equals(alias.group(1).strip())) {
                    // The tool names the link after the whole line here; not followed.
                    throw new Unsupported("an Alias= line with several or quoted names in " + unitPath);
                }
                if (!values.get(0).equals(unitName)) {
                    links.add(new Link("/etc/systemd/system/" + values.get(0), unitPath));
                }
            }
            if (DEFAULT_INSTANCE.matcher(line).find()) {
                throw new Unsupported("DefaultInstance= in " + unitPath);
            }
        }
        for (String dir : wantsDirs) {
            links.add(new Link(dir + unitName, unitPath));
        }
        return links;
    }

    private static List<String> values(String text) {
        List<String> values = new ArrayList<>();
        for (String value : text.strip().split("\\s+")) {
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.add(value);
        }
        return values;
    }

    Path stateFile(String name) throws IOException {
        return image.resolve(ENABLED_STATE + "/" + name.substring(name.lastIndexOf('/') + 1) + ".dsh-also", false);
    }

    boolean debianInstalled(String name) throws IOException {
        return Files.isRegularFile(stateFile(name));
    }

    /** was-enabled: every link the state file records is a symlink (vacuously true without a state file). */
    boolean wasEnabled(String name) throws IOException {
        Path state = stateFile(name);
        if (!Files.isRegularFile(state)) {
            return true;
        }
        for (String link : Files.readAllLines(state, StandardCharsets.UTF_8)) {
            if (!isSymlink(link)) {
                return false;
            }
        }
        return true;
    }

    /**
     * unmask: only a mask this tool made is undone; with nothing at the mask's path there is nothing
     * to do but {@link #removeEmptyMaskedState()}, which the tool does after every unmask.
     */
    void unmask(String name) throws IOException, Unsupported {
        String unitPath = findUnit(name);
        Path mask = image.resolve("/etc/systemd/system/" + unitPath.substring(unitPath.lastIndexOf('/') + 1), false);
        if (Files.exists(mask, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unsupported("something at the mask path of " + name);
        }
        for (String state : MASKED_STATE) {
            if (hasSymlink(image.resolve(state, false))) {
                throw new Unsupported("a symlink under " + state + ", which the tool's rmdir_if_empty would follow");
            }
        }
    }

    /**
     * The tool's rmdir_if_empty of the masked-state directories after an unmask: subdirectories
     * first (those a shell glob lists), then the directory itself, each only when empty.
     */
    void removeEmptyMaskedState() throws IOException {
        for (String state : MASKED_STATE) {
            removeIfEmpty(image.resolve(state, false));
        }
    }

    private static void removeIfEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(".")) {
                    removeIfEmpty(entry);
                }
            }
        }
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            // as rmdir(2) fails on it: kept
        }
    }

    private static boolean hasSymlink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return true;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                if (hasSymlink(entry)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@link #enable} follows the tool for this unit on this image; throws when it does not. */
    void checkEnable(String name) throws IOException, Unsupported {
        if (!hasSystemctl()) {
            throw new Unsupported("no systemctl in the image");
        }
        if (!debianInstalled(name)) {
            throw new Unsupported("a first enable of " + name + ", which the tool hands to systemctl preset");
        }
        closure(name);
    }

    /** enable, after {@link #checkEnable}: on an image with systemctl, for a unit whose state file exists. */
    void enableChecked(String name) throws IOException {
        try {
            enable(name);
        } catch (Unsupported e) {
            throw new IOException("deb-systemd-helper enable " + name + ": " + e.getMessage());
        }
    }

    void updateStateChecked(String name) throws IOException {
        try {
            updateState(name);
        } catch (Unsupported e) {
            throw new IOException("deb-systemd-helper update-state " + name + ": " + e.getMessage());
        }
    }

    private void enable(String name) throws IOException, Unsupported {
        checkEnable(name);
        List<Link> links = closure(name);
        boolean createLinks = false;
        for (Link link : links) {
            createLinks |= isSymlink(link.link());
        }
        for (Link link : links) {
            recordInStateFile(name, link.link());
            Path marker = image.resolve(ENABLED_STATE + link.link().substring("/etc/systemd/system".length()), false);
            if (Files.exists(marker)) {
                continue;
            }
            if (createLinks && !isSymlink(link.link())) {
                Path host = image.resolve(link.link(), false);
                Files.createDirectories(host.getParent());
                Files.createSymbolicLink(host, Path.of(link.unit()));
            }
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(marker);
            }
        }
    }

    /** update-state: the state file lists exactly the unit's link closure. */
    void updateState(String name) throws IOException, Unsupported {
        List<Link> links = closure(name);
        StringBuilder text = new StringBuilder();
        links.forEach(link -> text.append(link.link()).append('\n'));
        writeState(stateFile(name), text.toString());
    }

    private void recordInStateFile(String name, String link) throws IOException {
        Path state = stateFile(name);
        String text = Files.isRegularFile(state) ? Files.readString(state, StandardCharsets.UTF_8) : "";
        boolean present = text.lines().anyMatch(link::equals);
        // The tool rewrites the file even when the line is there already.
        writeState(state, present ? text : text + link + "\n");
    }

    private static void writeState(Path state, String text) throws IOException {
        Files.createDirectories(state.getParent());
        Path temp = Files.createTempFile(state.getParent(), ".state", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(temp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean isSymlink(String imagePath) throws IOException {
        return Files.isSymbolicLink(image.resolve(imagePath, false));
    }

    private boolean hasSystemctl() throws IOException {
        return Files.isExecutable(image.resolve("/bin/systemctl", true)) || Files.isExecutable(image.resolve("/usr/bin/systemctl", true));
    }

    static String describe(String action, List<String> units) {
        return "deb-systemd-helper " + action.toLowerCase(Locale.ROOT) + " " + String.join(" ", units);
    }
}
