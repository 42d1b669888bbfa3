package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options an image's dpkg reads before every run, read as dpkg reads them
 * (lib/dpkg/options.c): the files of {@code /etc/dpkg/dpkg.cfg.d} whose names are only letters,
 * digits, {@code _} and {@code -}, in name order, then {@code /etc/dpkg/dpkg.cfg}, then root's
 * {@code ~/.dpkg.cfg}. One option per line, without its leading {@code --}, its value after a
 * space or {@code =}, optionally quoted; {@code #} starts a comment line.
 * <p>
 * An offline apply follows the path filters ({@link DpkgPathFilters}) and the conffile options
 * ({@link DpkgConffileOptions}); options that change nothing
 * an apply leaves in the image are taken silently; any other option is named in
 * {@link #notFollowed()}, so that the report says what dpkg on the running machine would have done
 * differently.
 */
public final class DpkgConfiguration {

    private static final String PARTS = "/etc/dpkg/dpkg.cfg.d";
    private static final String MAIN = "/etc/dpkg/dpkg.cfg";
    private static final String ROOTS = "/root/.dpkg.cfg";
    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** dpkg's MAX_CONFIG_LINE: its line buffer, the newline included. */
    private static final int MAX_LINE = 1024;
    /** Far beyond any real configuration file: a bound on what one file may make Dormant read. */
    private static final int SIZE_LIMIT = 1 << 20;
    /**
     * Options whose effect an offline apply already has, or that change only how dpkg reports and
     * syncs: an apply writes no dpkg log.
     */
    private static final Set<String> NO_EFFECT_OFFLINE = Set.of("force-unsafe-io",
            "no-debsig", "log", "status-logger", "status-fd", "no-pager", "abort-after", "debug", "no-force-unsafe-io");

    private final DpkgPathFilters filters;
    private final DpkgConffileOptions conffiles;
    private final List<String> notFollowed;

    private DpkgConfiguration(Reading reading) {
        this.filters = new DpkgPathFilters(reading.filters);
        this.conffiles = DpkgConffileOptions.of(reading.forced);
        this.notFollowed = List.copyOf(reading.notFollowed);
    }

    /** The image's dpkg options; missing files are none, as for dpkg. */
    public static DpkgConfiguration of(ImageFiles image) throws IOException {
        Reading reading = new Reading();
        if (image.exists(PARTS)) {
            for (String name : image.list(PARTS)) { // sorted by name, as dpkg's scandir with alphasort
                if (PART_NAME.matcher(name).matches()) {
                    reading.file(image, PARTS + "/" + name);
                }
            }
        }
        reading.file(image, MAIN);
        reading.file(image, ROOTS);
        return new DpkgConfiguration(reading);
    }

    /** Parses one file's text, named {@code file} in messages (for tests and for {@link #of}). */
    public static DpkgConfiguration parse(String file, String text) throws IOException {
        Reading reading = new Reading();
        reading.text(file, text);
        return new DpkgConfiguration(reading);
    }

    public DpkgPathFilters pathFilters() {
        return filters;
    }

    /** How the image's dpkg answers its conffile question. */
    public DpkgConffileOptions conffileOptions() {
        return conffiles;
    }

    /** Each option an offline apply does not follow, with where it was set: for the report. */
    public List<String> notFollowed() {
        return notFollowed;
    }

    private static final class Reading {
        final List<DpkgPathFilters.Filter> filters = new ArrayList<>();
        final List<String> notFollowed = new ArrayList<>();
        /** The conffile force options set, by name without "force-"; a later no-force- or refuse- unsets one. */
        final Set<String> forced = new java.util.HashSet<>();

        void file(ImageFiles image, String path) throws IOException {
            if (!image.exists(path)) {
                return;
            }
            byte[] bytes;
            try (InputStream in = image.read(path)) {
                bytes = in.readNBytes(SIZE_LIMIT + 1);
            } catch (IOException e) {
                throw new IOException("the image's " + path + " cannot be read (" + e.getMessage() + "), and dpkg would"
                        + " stop on it too: make it a readable file or remove it", e);
            }
            if (bytes.length > SIZE_LIMIT) {
                throw new IOException("the image's " + path + " is over " + (SIZE_LIMIT >> 20) + " MiB, which no dpkg"
                        + " configuration is; remove it from the image");
            }
            text(path, new String(bytes, StandardCharsets.UTF_8));
        }

        void text(String file, String text) throws IOException {
            String[] lines = text.split("\n", -1);
            for (int number = 1; number <= lines.length; number++) {
                if (lines[number - 1].length() >= MAX_LINE) {
                    // dpkg reads a longer line as two, the second an unknown option, and stops.
                    throw new IOException(file + " line " + number + ": longer than dpkg's " + (MAX_LINE - 1) + " characters;"
                            + " dpkg refuses to run with this line too: shorten or remove it");
                }
                String line = lines[number - 1].stripTrailing();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int nameEnd = 0;
                while (nameEnd < line.length() && (Character.isLetterOrDigit(line.charAt(nameEnd)) && line.charAt(nameEnd) < 128
                        || line.charAt(nameEnd) == '-')) {
                    nameEnd++;
                }
                String name = line.substring(0, nameEnd);
                String value = null;
                if (nameEnd < line.length()) {
                    // dpkg drops the one character after the name, then an '=', then blanks.
                    int at = nameEnd + 1;
                    if (at < line.length() && line.charAt(at) == '=') {
                        at++;
                    }
                    while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
                        at++;
                    }
                    value = unquoted(line.substring(at), file, number);
                }
                option(name, value, file, number);
            }
        }

        private void option(String name, String value, String file, int line) throws IOException {
            String where = file + " line " + line;
            if (name.equals("path-exclude") || name.equals("path-include")) {
                if (value == null) {
                    throw new IOException(where + ": '" + name + "' needs a value; dpkg refuses to run with this"
                            + " line too: give it a pattern or remove it");
                }
                filters.add(new DpkgPathFilters.Filter(value, name.equals("path-include")));
            } else if (name.isEmpty()) {
                throw new IOException(where + ": not an option; dpkg refuses to run with this line too: fix or"
                        + " remove it");
            } else if (value == null && conffileOption(name)) {
                return;
            } else if (!NO_EFFECT_OFFLINE.contains(name)) {
                notFollowed.add("dpkg option '" + name + (value == null ? "" : " " + value) + "' (" + where + ") is not"
                        + " followed by an offline apply" + consequence(name));
            }
        }

        /** Takes {@code force-conf…}, {@code no-force-conf…} or {@code refuse-conf…}; false for any other option. */
        private boolean conffileOption(String name) {
            for (String prefix : List.of("force-", "no-force-", "refuse-")) {
                if (name.startsWith(prefix) && DpkgConffileOptions.NAMES.contains(name.substring(prefix.length()))) {
                    String thing = name.substring(prefix.length());
                    if (prefix.equals("force-")) {
                        forced.add(thing);
                    } else {
                        forced.remove(thing);
                    }
                    return true;
                }
            }
            return false;
        }

        private static String consequence(String name) {
            return switch (name) {
                case "force-all" ->
                        ": a conffile the admin changed is kept, the package's version written beside it as .dpkg-dist,"
                                + " as with --force-confold";
                case "no-triggers" -> ": triggers run at the end of the apply, as dpkg runs them without it";
                default -> "";
            };
        }

        private static String unquoted(String value, String file, int line) throws IOException {
            if (value.isEmpty() || (value.charAt(0) != '"' && value.charAt(0) != '\'')) {
                return value;
            }
            if (value.charAt(value.length() - 1) != value.charAt(0)) {
                throw new IOException(file + " line " + line + ": unbalanced quotes in '" + value + "'; dpkg"
                        + " refuses to run with this line too: close the quote or remove it");
            }
            return value.length() == 1 ? "" : value.substring(1, value.length() - 1);
        }
    }
}
