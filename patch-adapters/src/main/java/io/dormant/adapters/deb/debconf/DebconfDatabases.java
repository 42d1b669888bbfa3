package io.dormant.adapters.deb.debconf;

import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two debconf databases of an image, config.dat (questions) and templates.dat, in the
 * default setup of /etc/debconf.conf only: any other setup (another driver, a stack, an rc file)
 * could put an answer elsewhere, so it is refused. {@link #loadTemplates} is what debconf's
 * frontend does with a package's templates file; {@link #save} writes both as debconf does at
 * exit (a new file renamed over the old one, the old one kept as {@code -old}).
 */
public final class DebconfDatabases {

    static final String CONF = "/etc/debconf.conf";
    public static final String CONFIG = "/var/cache/debconf/config.dat";
    public static final String TEMPLATES = "/var/cache/debconf/templates.dat";
    static final String PASSWORDS = "/var/cache/debconf/passwords.dat";

    /** debconf 1.5's /etc/debconf.conf without its comments and blank lines. */
    private static final String DEFAULT_CONF = String.join("\n",
            "Config: configdb", "Templates: templatedb",
            "Name: config", "Driver: File", "Mode: 644", "Reject-Type: password", "Filename: /var/cache/debconf/config.dat",
            "Name: passwords", "Driver: File", "Mode: 600", "Backup: false", "Required: false", "Accept-Type: password",
            "Filename: /var/cache/debconf/passwords.dat",
            "Name: configdb", "Driver: Stack", "Stack: config, passwords",
            "Name: templatedb", "Driver: File", "Mode: 644", "Filename: /var/cache/debconf/templates.dat");

    private final RootedFiles image;
    private final Map<String, DebconfItem> config;
    private final Map<String, DebconfItem> templates;
    /** The names in passwords.dat, which the emulation never reads or writes. */
    private final java.util.Set<String> passwords;

    private DebconfDatabases(RootedFiles image, Map<String, DebconfItem> config, Map<String, DebconfItem> templates,
                             java.util.Set<String> passwords) {
        this.image = image;
        this.config = config;
        this.templates = templates;
        this.passwords = java.util.Set.copyOf(passwords);
    }

    /** Reads both databases after checking that the image's debconf uses them the default way. */
    public static DebconfDatabases open(RootedFiles image) throws IOException, DebconfException {
        Path conf = image.resolve(CONF, true);
        if (!Files.isRegularFile(conf)) {
            throw new DebconfException(CONF + " is missing");
        }
        String shape = Files.readAllLines(conf, StandardCharsets.ISO_8859_1).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.joining("\n"));
        if (!shape.equals(DEFAULT_CONF)) {
            throw new DebconfException(CONF + " is not the default two-file setup");
        }
        for (String rc : List.of("/.debconfrc", "/root/.debconfrc")) {
            if (Files.exists(image.resolve(rc, false), LinkOption.NOFOLLOW_LINKS)) {
                throw new DebconfException(rc + " may change debconf's setup");
            }
        }
        // The stack reads config.dat first and writes a question back where it was read; only
        // questions of type password live in passwords.dat (slapd's, for one), and debconf rewrites
        // a file only when one of its records changed. So the emulation can leave it alone, as
        // long as no question it asks about is there (see question()).
        Path passwords = image.resolve(PASSWORDS, true);
        if (!Files.isRegularFile(passwords, LinkOption.NOFOLLOW_LINKS)) {
            throw new DebconfException(PASSWORDS + " is missing or not a plain file");
        }
        return new DebconfDatabases(image, read(image, CONFIG), read(image, TEMPLATES), read(image, PASSWORDS).keySet());
    }

    private static Map<String, DebconfItem> read(RootedFiles image, String path) throws IOException, DebconfException {
        Path file = image.resolve(path, true);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DebconfException(path + " is missing or not a plain file");
        }
        return DebconfFile.read(Files.readAllBytes(file));
    }

    /** The question of this name; it must exist (debconf would answer "doesn't exist" and the script fail). */
    public DebconfItem question(String name) throws DebconfException {
        if (passwords.contains(name)) {
            throw new DebconfException("the question " + name + " is in " + PASSWORDS);
        }
        DebconfItem item = config.get(name);
        if (item == null) {
            throw new DebconfException("the question " + name + " is not in " + CONFIG);
        }
        return item;
    }

    public DebconfItem template(String name) throws DebconfException {
        DebconfItem item = templates.get(name);
        if (item == null) {
            throw new DebconfException("the template " + name + " is not in " + TEMPLATES);
        }
        return item;
    }

    /** A question's value: its own, else its template's default (Debconf::Question->value). */
    public String value(String question) throws DebconfException {
        String value = question(question).field("value");
        if (value != null) {
            return value;
        }
        String template = question(question).field("template");
        return template == null ? null : template(template).field("default");
    }

    /**
     * Debconf::Template->load for a package already configured once: each template keeps its
     * record and question, the package is added to the question's owners, and every field is
     * replaced by the file's. A first configuration (new questions) is refused, not guessed.
     */
    public void loadTemplates(String owner, List<DebconfTemplateFile.Template> loaded) throws DebconfException {
        for (DebconfTemplateFile.Template t : loaded) {
            DebconfItem question = question(t.name());
            DebconfItem template = templates.get(t.name());
            if (template == null || template.owners.isEmpty()) {
                throw new DebconfException("the template " + t.name() + " is new to " + TEMPLATES);
            }
            if (!t.name().equals(question.field("template"))) {
                throw new DebconfException("the question " + t.name() + " uses another template");
            }
            question.owners.add(owner);
            for (String asker : template.owners) {
                if (!config.containsKey(asker)) {
                    throw new DebconfException("the question " + asker + " of template " + t.name() + " is missing");
                }
            }
            if (!t.fields().containsKey("type")) {
                throw new DebconfException("the template " + t.name() + " has no type");
            }
            template.fields.clear();
            template.fields.putAll(t.fields());
        }
    }

    /** Both files, written as debconf writes a dirty database: to NAME-new, the old one renamed to NAME-old. */
    public void save() throws IOException {
        write(TEMPLATES, DebconfFile.write(templates));
        write(CONFIG, DebconfFile.write(config));
    }

    private void write(String path, byte[] bytes) throws IOException {
        Path file = image.resolve(path, true);
        Path next = file.resolveSibling(file.getFileName() + "-new");
        Files.write(next, bytes);
        Posix.chmod(next, 0644);
        Files.move(file, file.resolveSibling(file.getFileName() + "-old"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
