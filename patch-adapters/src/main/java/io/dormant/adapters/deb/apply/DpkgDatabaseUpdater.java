package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebControl;
import io.dormant.adapters.deb.DebControlField;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.DpkgStatusWriter;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes what dpkg records about an unpacked package: its files under {@code /var/lib/dpkg/info}
 * (file list, md5sums, conffiles, scripts and other control files) and its paragraph in
 * {@code /var/lib/dpkg/status}, keeping the previous status as {@code status-old} as dpkg does.
 */
final class DpkgDatabaseUpdater {

    static final String ADMIN = "/var/lib/dpkg";
    /** Where dpkg unpacks a package's control archive while it installs it. */
    static final String CONTROL_AREA = ADMIN + "/tmp.ci";
    private static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "prerm", "postrm", "config");
    private static final Set<String> NOT_COPIED = Set.of("control", "md5sums", "conffiles");

    private final RootedFiles image;
    private final StatusFileBytes statusFile = new StatusFileBytes();
    private InfoDirectory infoDirectory;
    private final TriggerStates triggerStates;

    /** @param triggerStates the trigger state every status paragraph written here shows */
    DpkgDatabaseUpdater(RootedFiles image, TriggerStates triggerStates) {
        this.image = image;
        this.triggerStates = triggerStates;
    }

    /**
     * Replaces the info files of {@code previousInfoName} (null for a new install) with the package's;
     * {@code generatedMd5sums} stands in for the md5sums of a package that ships none, as in dpkg.
     */
    void writeInfo(DebPackage pkg, String previousInfoName, List<String> paths, byte[] generatedMd5sums) throws IOException {
        Path info = image.resolve(ADMIN + "/info", true);
        if (previousInfoName != null) {
            removeInfo(info, previousInfoName);
        }
        String name = pkg.infoName();
        writeInfoFile(info, name + ".list", listBytes(paths), 0644);
        byte[] md5sums = pkg.controlFiles().getOrDefault("md5sums", generatedMd5sums);
        if (md5sums != null) {
            writeInfoFile(info, name + ".md5sums", md5sums, 0644);
        }
        byte[] conffiles = pkg.controlFiles().get("conffiles");
        if (conffiles != null) {
            writeInfoFile(info, name + ".conffiles", conffiles, 0644);
        }
        for (Map.Entry<String, byte[]> file : pkg.controlFiles().entrySet()) {
            if (!NOT_COPIED.contains(file.getKey())) {
                writeInfoFile(info, name + "." + file.getKey(), file.getValue(), SCRIPTS.contains(file.getKey()) ? 0755 : 0644);
            }
        }
    }

    /** Rewrites another package's file list, as dpkg does when a package takes files over from it. */
    void rewriteList(String infoName, List<String> paths) throws IOException {
        writeInfoFile(image.resolve(ADMIN + "/info", true), infoName + ".list", listBytes(paths), 0644);
    }

    /** info/&lt;name&gt;.list: a path a line. */
    private static byte[] listBytes(List<String> paths) {
        return (String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Marks another package's conffiles at {@code paths} obsolete, as dpkg does when a new package's
     * conffiles take their paths; {@code owner} is its entry in the database's current status.
     */
    void markConffilesObsolete(DpkgDatabase database, DpkgStatusEntry owner, Set<String> paths) throws IOException {
        DebControl updated = DpkgStatusWriter.withConffilesObsolete(owner.paragraph(), paths);
        if (updated != owner.paragraph()) {
            database.statusChanged(DpkgStatusWriter.withEntry(database.statusParagraphs(), updated));
        }
    }

    private void writeInfoFile(Path info, String name, byte[] bytes, int mode) throws IOException {
        write(info.resolve(name), bytes, mode);
        infoDirectory(info).changed(name, true);
    }

    /** Puts the package's control files where dpkg has them during its installation (the new preinst runs there). */
    void writeControlArea(DebPackage pkg) throws IOException {
        Path area = image.resolve(CONTROL_AREA, false);
        removeControlArea();
        Files.createDirectory(area);
        Posix.chmod(area, 0755);
        for (Map.Entry<String, byte[]> file : pkg.controlFiles().entrySet()) {
            write(area.resolve(file.getKey()), file.getValue(), SCRIPTS.contains(file.getKey()) ? 0755 : 0644);
        }
    }

    void removeControlArea() throws IOException {
        Path area = image.resolve(CONTROL_AREA, false);
        if (Files.isDirectory(area, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(area)) {
                for (Path file : files) {
                    Files.delete(file);
                }
            }
            Files.delete(area);
        }
    }

    /**
     * Sets the package's status paragraph; the conffiles carry the hashes of the shipped versions.
     * The status file is written by {@link #flushStatus}, before anything outside this process
     * can read it: an apply changes the status twice per package, and the file is megabytes.
     *
     * @param configVersion the version dpkg configured last ("" for none), which it records until
     *                      the package is configured again
     */
    void setStatus(DpkgDatabase database, DebPackage pkg, DpkgStatus status, List<DebConffile> conffiles, String configVersion)
            throws IOException {
        DebControl entry = DpkgStatusWriter.paragraph(pkg.control(), status, conffiles);
        database.statusChanged(DpkgStatusWriter.withEntry(database.statusParagraphs(), triggerStates.decorate(entry, configVersion)));
    }

    private void statusChanged(DpkgDatabase database, DebControl paragraph) throws IOException {
        database.statusChanged(DpkgStatusWriter.withEntry(database.statusParagraphs(), triggerStates.decorate(paragraph)));
    }

    /** The paragraph with a Config-Version, where dpkg writes it: after Version. */
    static DebControl withConfigVersion(DebControl paragraph, String configVersion) {
        if (paragraph.has("Config-Version")) {
            return paragraph.with("Config-Version", configVersion);
        }
        List<DebControlField> fields = new ArrayList<>(paragraph.fields());
        int version = fields.indexOf(paragraph.field("Version").orElseThrow());
        fields.add(version + 1, DebControlField.of("Config-Version", configVersion));
        return new DebControl(fields);
    }

    /** Rewrites the paragraphs of the packages whose trigger state changed (packages the apply does not otherwise touch). */
    void syncTriggerStates(DpkgDatabase database) throws IOException {
        for (String label : triggerStates.takeChanged()) {
            Optional<DpkgStatusEntry> entry = database.entry(label);
            if (entry.isPresent()) {
                statusChanged(database, entry.get().paragraph());
            }
        }
    }

    /**
     * Sets the flag and state of a package the image has, leaving the rest of its paragraph as it
     * is; the want stays, but for a package being unpacked, which dpkg -i wants installed.
     */
    void setState(DpkgDatabase database, DpkgStatusEntry entry, DpkgStatus.Flag flag, DpkgStatus.State state)
            throws IOException {
        DpkgStatus.Want want = flag == DpkgStatus.Flag.REINSTREQ ? DpkgStatus.Want.INSTALL : entry.status().want();
        DebControl paragraph = entry.paragraph().with("Status", new DpkgStatus(want, flag, state).format());
        if (entry.status().state().isConfigured() && !state.isConfigured() && !paragraph.has("Config-Version")) {
            // dpkg remembers the version it configured last.
            paragraph = withConfigVersion(paragraph, entry.version().toString());
        }
        statusChanged(database, paragraph);
    }

    /**
     * Puts back a package's paragraph as it was read, its state as its triggers now leave it
     * (dpkg's post_postinst_tasks after a triggered postinst).
     */
    void restore(DpkgDatabase database, DpkgStatusEntry entry) throws IOException {
        statusChanged(database, entry.paragraph());
    }

    /** The version dpkg last configured of a package the image has, "" when none (dpkg's configversion). */
    static String configVersion(DpkgStatusEntry entry) {
        return entry.paragraph().value("Config-Version")
                .orElse(entry.status().state().isConfigured() && entry.version() != null ? entry.version().toString() : "");
    }

    /** What dpkg records for a package new to the image while its preinst runs: name, architecture, version. */
    void setHalfInstalled(DpkgDatabase database, DebPackage pkg) throws IOException {
        StringBuilder text = new StringBuilder("Package: " + pkg.name() + "\nStatus: install reinstreq half-installed\n"
                + "Architecture: " + pkg.architecture() + "\n");
        if (!pkg.multiArch().equals("no")) {
            text.append("Multi-Arch: ").append(pkg.multiArch()).append('\n');
        }
        text.append("Version: ").append(pkg.version()).append('\n');
        DebControl paragraph = DebControl.parse(text.toString(), "the status of " + pkg.name());
        statusChanged(database, paragraph);
    }

    /**
     * Forgets a package that disappeared: its info files go, and so does its status paragraph
     * (dpkg leaves it not-installed with nothing wanted, which its status file does not keep).
     */
    void forget(DpkgDatabase database, DpkgStatusEntry entry) throws IOException {
        removeInfo(image.resolve(ADMIN + "/info", true), entry.infoName());
        database.statusChanged(database.statusParagraphs().stream()
                .filter(p -> !(p.value("Package").orElse("").equals(entry.name())
                        && p.value("Architecture").orElse("").equals(entry.architecture())))
                .toList());
    }

    /** Writes the status set since the last flush, keeping the file's previous bytes as status-old. */
    void flushStatus(DpkgDatabase database) throws IOException {
        syncTriggerStates(database);
        if (!database.statusAhead()) {
            return;
        }
        byte[] current = database.statusBytes();
        List<DebControl> paragraphs = database.statusParagraphs();
        byte[] updated = this.statusFile.of(paragraphs);
        write(image.resolve(ADMIN + "/status-old", true), current, 0644);
        write(image.resolve(ADMIN + "/status", true), updated, 0644);
        database.statusWritten(updated, paragraphs);
    }

    private void removeInfo(Path info, String infoName) throws IOException {
        for (Path file : infoDirectory(info).filesOf(infoName)) {
            Files.delete(file);
            infoDirectory.changed(file.getFileName().toString(), false);
        }
    }

    private InfoDirectory infoDirectory(Path info) {
        if (infoDirectory == null) {
            infoDirectory = new InfoDirectory(info);
        }
        return infoDirectory;
    }

    /** Written beside and renamed into place, as dpkg does with its database files. */
    static void write(Path file, byte[] bytes, int mode) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".dormant-new");
        Files.write(temp, bytes);
        Posix.lchown(temp, 0, 0);
        Posix.chmod(temp, mode);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is a directory");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
