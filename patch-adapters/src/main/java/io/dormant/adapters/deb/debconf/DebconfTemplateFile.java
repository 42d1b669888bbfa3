package io.dormant.adapters.deb.debconf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's templates file read as Debconf::Template->load reads it: stanzas split at blank
 * lines, field names lower-cased, continuation lines folded into an {@code extended_} field
 * (" ." a paragraph break, lines indented twice kept verbatim). Values come back escaped for
 * the database file. What debconf would die on (a duplicate field, a stray line) is refused.
 */
public final class DebconfTemplateFile {

    private static final Pattern FIELD = Pattern.compile("(?ds)^([-_@.A-Za-z0-9]*):[ \\t\\n\\r\\f\\x0B]?(.*)$");

    /** One template: its name and its fields as the database stores them. */
    public record Template(String name, Map<String, String> fields) {
    }

    private DebconfTemplateFile() {
    }

    public static List<Template> read(byte[] bytes) throws DebconfException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Template> templates = new ArrayList<>();
        String[] pieces = text.split("\n\n", -1);
        for (int i = 0; i < pieces.length; i++) {
            String stanza = pieces[i].replaceFirst("^\n+", "").replaceFirst("(?d)\n+$", "");
            if (stanza.isEmpty()) {
                if (pieces[i].isEmpty() && i == pieces.length - 1) {
                    continue; // the file's end
                }
                throw new DebconfException("an empty template stanza, which debconf refuses");
            }
            Map<String, String> data = new LinkedHashMap<>();
            String field = "";
            String value = "";
            StringBuilder extended = new StringBuilder();
            for (String line : stanza.split("\n")) {
                Matcher m = FIELD.matcher(line);
                if (m.matches()) {
                    save(data, field, value, extended);
                    field = DebconfFile.lower(m.group(1));
                    value = m.group(2).replaceFirst("(?d)[ \\t\\n\\r\\f\\x0B]*$", "");
                    extended = new StringBuilder();
                } else if (line.matches("(?d)^[ \\t\\n\\r\\f\\x0B]\\.$")) {
                    extended.append("\n\n");
                } else if (line.length() > 1 && DebconfFile.isSpace(line.charAt(0)) && DebconfFile.isSpace(line.charAt(1))) {
                    String bit = line.substring(1).replaceFirst("(?d)[ \\t\\n\\r\\f\\x0B]*$", "");
                    if (extended.length() > 0 && !endsWithNewlineOrSpace(extended)) {
                        extended.append('\n');
                    }
                    extended.append(bit).append('\n');
                } else if (!line.isEmpty() && DebconfFile.isSpace(line.charAt(0))) {
                    String bit = line.substring(1).replaceFirst("(?d)[ \\t\\n\\r\\f\\x0B]*$", "");
                    if (extended.length() > 0 && !endsWithNewlineOrSpace(extended)) {
                        extended.append(' ');
                    }
                    extended.append(bit);
                } else {
                    throw new DebconfException("a templates line debconf cannot parse: " + line);
                }
            }
            save(data, field, value, extended);
            String name = data.remove("template");
            if (name == null) {
                throw new DebconfException("a template without a Template: line");
            }
            templates.add(new Template(name, data));
        }
        return templates;
    }

    private static void save(Map<String, String> data, String field, String value, StringBuilder extended)
            throws DebconfException {
        if (field.isEmpty()) {
            return;
        }
        if (data.containsKey(field)) {
            throw new DebconfException("a template with the field " + field + " twice");
        }
        data.put(field, DebconfFile.escaped(value));
        String folded = extended.toString().replaceFirst("(?d)\n+$", "");
        if (!folded.isEmpty()) {
            data.put("extended_" + field, DebconfFile.escaped(folded));
        }
    }

    private static boolean endsWithNewlineOrSpace(StringBuilder b) {
        char last = b.charAt(b.length() - 1);
        return last == '\n' || last == ' ';
    }
}
