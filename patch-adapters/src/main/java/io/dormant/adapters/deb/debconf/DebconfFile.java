package io.dormant.adapters.deb.debconf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * debconf's file format (Debconf::Format::822) read and written as Debconf::DbDriver::File does:
 * records by name, written sorted, fields sorted and capitalised, "\n" escaped. Values are kept
 * escaped as in the file, which round-trips byte for byte. A line debconf would read its own odd way
 * (no colon) is refused rather than guessed.
 */
public final class DebconfFile {

    private DebconfFile() {
    }

    public static Map<String, DebconfItem> read(byte[] bytes) throws DebconfException {
        Map<String, DebconfItem> items = new TreeMap<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String name = null;
        DebconfItem item = new DebconfItem();
        boolean inVariables = false;
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            String line = end < 0 ? text.substring(from) : text.substring(from, end);
            from = end < 0 ? text.length() : end + 1;
            if (line.isEmpty()) {
                if (name != null) {
                    items.put(name, item);
                }
                name = null;
                item = new DebconfItem();
                inVariables = false;
                continue;
            }
            if (inVariables && isSpace(line.charAt(0))) {
                String var = line.replaceFirst("^[ \\t\\n\\r\\f\\x0B]+", "");
                String[] parts = var.split("[ \\t\\n\\r\\f\\x0B]*=[ \\t\\n\\r\\f\\x0B]?", 2);
                if (parts.length < 2) {
                    throw new DebconfException("a variable line without '=': " + line);
                }
                item.variables.put(parts[0], parts[1]);
                continue;
            }
            inVariables = false;
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new DebconfException("a line without a colon: " + line);
            }
            String key = lower(line.substring(0, colon));
            int valueAt = colon + 1 < line.length() && isSpace(line.charAt(colon + 1)) ? colon + 2 : colon + 1;
            String value = line.substring(valueAt);
            switch (key) {
                case "owners" -> item.owners.addAll(splitList(value));
                case "flags" -> {
                    for (String flag : splitList(value)) {
                        item.flags.put(flag, "true");
                    }
                }
                case "variables" -> inVariables = true;
                case "name" -> name = value;
                default -> {
                    if (!key.isEmpty()) {
                        item.fields.put(key, value);
                    }
                }
            }
        }
        if (name != null) {
            items.put(name, item);
        }
        return items;
    }

    public static byte[] write(Map<String, DebconfItem> items) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, DebconfItem> entry : items.entrySet()) {
            DebconfItem item = entry.getValue();
            out.append("Name: ").append(entry.getKey()).append('\n');
            item.fields.forEach((k, v) -> out.append(upperFirst(k)).append(": ").append(v).append('\n'));
            if (!item.owners.isEmpty()) {
                out.append("Owners: ").append(String.join(", ", item.owners)).append('\n');
            }
            String flags = String.join(", ", item.flags.entrySet().stream().filter(f -> f.getValue().equals("true"))
                    .map(Map.Entry::getKey).toList());
            if (!flags.isEmpty()) {
                out.append("Flags: ").append(flags).append('\n');
            }
            if (!item.variables.isEmpty()) {
                out.append("Variables:\n");
                item.variables.forEach((k, v) -> out.append(' ').append(k).append(" = ").append(v).append('\n'));
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A value as the file holds it: debconf writes a newline as the two characters \n. */
    public static String escaped(String value) {
        return value.replace("\n", "\\n");
    }

    /** Perl's split(/,\s+/): empty trailing parts dropped. */
    private static java.util.List<String> splitList(String value) {
        java.util.List<String> parts = new java.util.ArrayList<>(java.util.List.of(value.split(",[ \\t\\n\\r\\f\\x0B]+", -1)));
        while (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** Perl's lc on a byte string: ASCII letters only. */
    static String lower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private static String upperFirst(String s) {
        return s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z' ? s : (char) (s.charAt(0) - 32) + s.substring(1);
    }
}
