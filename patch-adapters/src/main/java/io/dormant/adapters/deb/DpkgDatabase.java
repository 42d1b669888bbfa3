package io.dormant.adapters.deb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an image's dpkg database (/var/lib/dpkg) without changing it: the status file, each
 * package's info files, diversions, triggers and alternatives. Files that dpkg creates lazily
 * (diversions, triggers/File, Unincorp) read as empty when absent, as dpkg reads them.
 */
public final class DpkgDatabase {

    public static final String ADMIN_DIR = "/var/lib/dpkg";

    private final ImageFiles files;
    private final String adminDir;
    /*
     * The status file parsed, kept while its bytes stay the same: an apply asks for it before and
     * after every package, and parsing a few hundred paragraphs each time cost a second per apply.
     */
    private byte[] statusBytes;
    private List<DebControl> statusParagraphs;
    private List<DpkgStatusEntry> statusEntries;
    /** The paragraphs were changed here and the status file does not hold them yet. */
    private boolean statusAhead;
    /** By identity: an entry is parsed again only for a paragraph that changed. */
    private final Map<DebControl, DpkgStatusEntry> entriesByParagraph = new IdentityHashMap<>();

    public DpkgDatabase(ImageFiles files) {
        this(files, ADMIN_DIR);
    }

    public DpkgDatabase(ImageFiles files, String adminDir) {
        this.files = files;
        this.adminDir = adminDir;
    }

    /** The status file's paragraphs, raw, in file order: what {@link DpkgStatusWriter} writes back. */
    public List<DebControl> statusParagraphs() throws IOException {
        loadStatus();
        return statusParagraphs;
    }

    public List<DpkgStatusEntry> status() throws IOException {
        loadStatus();
        if (statusEntries == null) {
            List<DpkgStatusEntry> out = new ArrayList<>();
            for (DebControl paragraph : statusParagraphs) {
                DpkgStatusEntry known = entriesByParagraph.get(paragraph);
                out.add(known != null ? known : DpkgStatusEntry.of(paragraph, adminDir + "/status"));
            }
            statusEntries = List.copyOf(out);
            entriesByParagraph.clear();
            statusEntries.forEach(e -> entriesByParagraph.put(e.paragraph(), e));
        }
        return statusEntries;
    }

    /**
     * Tells the database that its status file now holds {@code bytes}, which are {@code paragraphs}
     * (the writer of the file knows both), so that the next read need not parse it again.
     */
    public void statusWritten(byte[] bytes, List<DebControl> paragraphs) {
        statusBytes = bytes.clone();
        statusParagraphs = List.copyOf(paragraphs);
        statusEntries = null;
        statusAhead = false;
    }

    /**
     * Takes {@code paragraphs} as the status before the file holds them: until
     * {@link #statusWritten}, the status is read from here, not from the file.
     */
    public void statusChanged(List<DebControl> paragraphs) throws IOException {
        loadStatus();
        statusParagraphs = List.copyOf(paragraphs);
        statusEntries = null;
        statusAhead = true;
    }

    /** Whether the status has changes the file does not hold yet. */
    public boolean statusAhead() {
        return statusAhead;
    }

    /** The status file's bytes as last read or written: what dpkg keeps as status-old when it writes a new one. */
    public byte[] statusBytes() throws IOException {
        loadStatus();
        return statusBytes.clone();
    }

    private void loadStatus() throws IOException {
        if (statusAhead) {
            return;
        }
        String path = adminDir + "/status";
        byte[] bytes = files.readAllBytes(path);
        if (!Arrays.equals(bytes, statusBytes)) {
            List<DebControl> parsed = List.copyOf(DebControl.parseAll(DebPackageReader.text(bytes, path), path));
            statusBytes = bytes;
            statusParagraphs = parsed;
            statusEntries = null;
        }
    }

    public Inventory inventory() throws IOException {
        return new Inventory(status().stream()
                .map(e -> new Inventory.Item(e.name(), e.version(), e.architecture(), e.status())).toList());
    }

    /** The entry for a package name, the first when several architectures are known, or for {@code name:arch}. */
    public Optional<DpkgStatusEntry> entry(String name) throws IOException {
        // dpkg's own files name a Multi-Arch: same package with its architecture (triggers/File:
        // libgdk-pixbuf-2.0-0:amd64); a package name never holds a colon.
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String bare = name.substring(0, colon);
            String architecture = name.substring(colon + 1);
            return status().stream().filter(e -> e.name().equals(bare) && e.architecture().equals(architecture)).findFirst();
        }
        return status().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Every entry of a package name: one per architecture for a Multi-Arch: same package. */
    public List<DpkgStatusEntry> instances(String name) throws IOException {
        return status().stream().filter(e -> e.name().equals(name)).toList();
    }

    /** info/&lt;infoName&gt;.list: every path the package installed, "/." first. */
    public List<String> fileList(String infoName) throws IOException {
        return lines(info(infoName, "list"));
    }

    /** info/&lt;infoName&gt;.md5sums: relative path to md5. */
    public Map<String, String> md5sums(String infoName) throws IOException {
        String path = info(infoName, "md5sums");
        return files.exists(path) ? DebMd5sums.parse(DebPackageReader.text(files.readAllBytes(path), path), path) : Map.of();
    }

    /** info/&lt;infoName&gt;.conffiles: the package's own list, as in its control archive. */
    public List<DebConffile> conffiles(String infoName) throws IOException {
        String path = info(infoName, "conffiles");
        return files.exists(path)
                ? DebConffile.parsePackageList(DebPackageReader.text(files.readAllBytes(path), path), path) : List.of();
    }

    /** info/&lt;infoName&gt;.&lt;script&gt;, such as "postinst", when the package has one. */
    public Optional<byte[]> script(String infoName, String script) throws IOException {
        String path = info(infoName, script);
        return files.exists(path) ? Optional.of(files.readAllBytes(path)) : Optional.empty();
    }

    public List<DpkgDiversion> diversions() throws IOException {
        return DpkgAdminFiles.diversions(lines(adminDir + "/diversions"), adminDir + "/diversions");
    }

    public DpkgTriggers triggers() throws IOException {
        String dir = adminDir + "/triggers";
        if (!files.exists(dir)) {
            return new DpkgTriggers(List.of(), List.of(), List.of());
        }
        List<DpkgTriggerInterest> explicit = new ArrayList<>();
        for (String name : files.list(dir)) {
            if (!DpkgAdminFiles.TRIGGER_STATE_FILES.contains(name) && !name.startsWith(".")) {
                explicit.addAll(DpkgAdminFiles.explicitInterests(name, lines(dir + "/" + name)));
            }
        }
        return new DpkgTriggers(DpkgAdminFiles.fileInterests(lines(dir + "/File"), dir + "/File"), explicit,
                DpkgAdminFiles.unincorporated(lines(dir + "/Unincorp")));
    }

    public List<DpkgAlternative> alternatives() throws IOException {
        String dir = adminDir + "/alternatives";
        List<DpkgAlternative> out = new ArrayList<>();
        if (files.exists(dir)) {
            for (String name : files.list(dir)) {
                out.add(DpkgAdminFiles.alternative(name, lines(dir + "/" + name), dir + "/" + name));
            }
        }
        return out;
    }

    private String info(String infoName, String kind) {
        if (infoName.contains("/") || infoName.startsWith(".")) {
            throw new IllegalArgumentException("'" + infoName + "' is not a package name");
        }
        return adminDir + "/info/" + infoName + "." + kind;
    }

    /** The lines of a file, none when it is absent; the final newline ends the last line. */
    private List<String> lines(String path) throws IOException {
        if (!files.exists(path)) {
            return List.of();
        }
        String text = new String(files.readAllBytes(path), StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
