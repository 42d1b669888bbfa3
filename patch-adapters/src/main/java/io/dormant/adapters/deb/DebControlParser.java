package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits deb822 text into paragraphs and fields the way dpkg's parser does (lib/dpkg/parse.c):
 * a field is "Name:" at the start of a line, a line starting with a blank continues it, an empty
 * line ends the paragraph, and a field may appear once per paragraph.
 */
final class DebControlParser {

    private DebControlParser() {
    }

    static List<DebControl> parse(String text, String source) throws DebControlException {
        List<DebControl> paragraphs = new ArrayList<>();
        List<DebControlField> fields = new ArrayList<>();
        String name = null;
        int fieldLine = 0;
        StringBuilder value = new StringBuilder();
        int start = 0;
        int lineNumber = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            start = end < 0 ? text.length() : end + 1;
            lineNumber++;
            if (line.isEmpty()) {
                name = flush(fields, name, value, source, fieldLine);
                if (!fields.isEmpty()) {
                    paragraphs.add(new DebControl(fields));
                    fields = new ArrayList<>();
                }
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (name == null) {
                    throw new DebControlException(source + " line " + lineNumber, "continuation line before any field");
                }
                value.append('\n').append(line);
            } else {
                name = flush(fields, name, value, source, fieldLine);
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new DebControlException(source + " line " + lineNumber, "'" + DebArIndex.printable(line)
                            + "' is not a field: a field is 'Name: value', a continuation line starts with a blank");
                }
                name = line.substring(0, colon);
                fieldLine = lineNumber;
                if (name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                    throw new DebControlException(source + " line " + lineNumber, "field name '" + DebArIndex.printable(name)
                            + "' contains a blank or control character");
                }
                value.setLength(0);
                value.append(line, colon + 1, line.length());
            }
        }
        flush(fields, name, value, source, fieldLine);
        if (!fields.isEmpty()) {
            paragraphs.add(new DebControl(fields));
        }
        return paragraphs;
    }

    private static String flush(List<DebControlField> fields, String name, StringBuilder value, String source, int line)
            throws DebControlException {
        if (name == null) {
            return null;
        }
        for (DebControlField f : fields) {
            if (f.is(name)) {
                throw new DebControlException(source + " line " + line, "duplicate value for field '" + name + "'");
            }
        }
        fields.add(new DebControlField(name, value.toString()));
        return null;
    }
}
