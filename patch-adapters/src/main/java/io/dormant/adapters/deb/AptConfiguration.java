package io.dormant.adapters.deb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The scalar settings of an image's apt configuration, read as apt reads them: the parts in
 * {@code /etc/apt/apt.conf.d} by name, then {@code /etc/apt/apt.conf}, a later setting overriding
 * an earlier one. The syntax is apt.conf(5)'s: {@code A::B "value";}, scopes in braces, {@code //},
 * {@code #} and {@code /* *}{@code /} comments. Lists and {@code #include} are not followed: the
 * plan asks only for flags.
 */
public final class AptConfiguration {

    private static final String PARTS = "/etc/apt/apt.conf.d";
    private static final String MAIN = "/etc/apt/apt.conf";
    /** apt reads a part whose name has no extension or ".conf", and only of these characters. */
    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Far beyond any real configuration file: a bound on what one file may make Dormant read. */
    private static final int SIZE_LIMIT = 1 << 20;

    private final Map<String, String> values;

    private AptConfiguration(Map<String, String> values) {
        this.values = values;
    }

    /** The image's configuration; a missing file or directory is an empty one, as for apt. */
    public static AptConfiguration of(ImageFiles image) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (image.exists(PARTS)) {
            for (String name : image.list(PARTS)) { // sorted by name, as apt reads them
                String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
                if (PART_NAME.matcher(name).matches() && (extension.isEmpty() || extension.equals("conf"))) {
                    readInto(values, image, PARTS + "/" + name);
                }
            }
        }
        if (image.exists(MAIN)) {
            readInto(values, image, MAIN);
        }
        return new AptConfiguration(values);
    }

    /** Parses one file's text (for tests and for {@link #of}). */
    public static AptConfiguration parse(String text) {
        Map<String, String> values = new HashMap<>();
        parseInto(values, text);
        return new AptConfiguration(values);
    }

    private static void readInto(Map<String, String> values, ImageFiles image, String path) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = image.read(path)) {
            bytes = in.readNBytes(SIZE_LIMIT + 1);
        } catch (IOException e) {
            return; // not a regular file (a directory, a link leaving the image): apt reads only real files
        }
        if (bytes.length > SIZE_LIMIT) {
            throw new IOException("the image's " + path + " is over " + (SIZE_LIMIT >> 20) + " MiB, which no apt"
                    + " configuration is; remove it from the image or move it out of " + PARTS);
        }
        parseInto(values, new String(bytes, StandardCharsets.UTF_8));
    }

    /** A setting's value, by its full name ({@code APT::Install-Recommends}), in any case. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A flag as apt's {@code FindB} reads it: yes/true/with/on/enable or a non-zero number. */
    public boolean flag(String name, boolean otherwise) {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return otherwise;
        }
        String v = value.get().strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "no", "false", "without", "off", "disable" -> false;
            case "yes", "true", "with", "on", "enable" -> true;
            default -> {
                try {
                    yield Long.parseLong(v) != 0;
                } catch (NumberFormatException e) {
                    yield otherwise;
                }
            }
        };
    }

    /** Whether apt in this image installs the Recommends of what it installs (apt's default: yes). */
    public boolean installsRecommends() {
        return flag("APT::Install-Recommends", true);
    }

    private static void parseInto(Map<String, String> values, String text) {
        Deque<String> scopes = new ArrayDeque<>();
        scopes.push("");
        String tag = null;
        String value = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                String word = text.substring(i + 1, end < 0 ? n : end);
                i = end < 0 ? n : end + 1;
                if (tag != null) {
                    value = word;
                }
            } else if (c == '{') {
                scopes.push(tag == null ? scopes.peek() : scopes.peek() + tag.toLowerCase(Locale.ROOT) + "::");
                tag = null;
                value = null;
                i++;
            } else if (c == '}') {
                if (scopes.size() > 1) {
                    scopes.pop();
                }
                tag = null;
                value = null;
                i++;
            } else if (c == ';') {
                if (tag != null && value != null) {
                    values.put(scopes.peek() + tag.toLowerCase(Locale.ROOT), value);
                }
                tag = null;
                value = null;
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && "{};\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                String word = text.substring(start, i);
                if (tag == null) {
                    tag = word;
                } else {
                    value = word;
                }
            }
        }
    }
}
