package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One deb822 paragraph: a package's control file, or one entry of dpkg's status file. Fields stay
 * in their order and with their raw values, so {@link #format} gives back the bytes that were
 * parsed; lookups ignore case, as dpkg's do.
 */
public record DebControl(List<DebControlField> fields) {

    public DebControl {
        fields = List.copyOf(fields);
    }

    /**
     * Exactly one paragraph, as in a package's control file; blank lines around it are allowed.
     *
     * @param source names the text in errors ("hello.deb(control.tar.xz): control")
     */
    public static DebControl parse(String text, String source) throws DebControlException {
        List<DebControl> paragraphs = DebControlParser.parse(text, source);
        if (paragraphs.size() != 1) {
            throw new DebControlException(source, paragraphs.isEmpty() ? "no fields at all"
                    : "holds " + paragraphs.size() + " paragraphs; a control file has one");
        }
        return paragraphs.get(0);
    }

    /** Every paragraph, as in dpkg's status file. */
    public static List<DebControl> parseAll(String text, String source) throws DebControlException {
        return DebControlParser.parse(text, source);
    }

    public Optional<DebControlField> field(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst();
    }

    /** The value as dpkg reads it, or empty when the field is absent. */
    public Optional<String> value(String name) {
        return field(name).map(DebControlField::value);
    }

    public boolean has(String name) {
        return field(name).isPresent();
    }

    /** This paragraph with {@code name} set: replaced in place when present, appended when not. */
    public DebControl with(String name, String value) {
        List<DebControlField> out = new ArrayList<>(fields);
        DebControlField field = DebControlField.of(name, value);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).is(name)) {
                out.set(i, new DebControlField(out.get(i).name(), field.rawValue()));
                return new DebControl(out);
            }
        }
        out.add(field);
        return new DebControl(out);
    }

    public DebControl without(String name) {
        return new DebControl(fields.stream().filter(f -> !f.is(name)).toList());
    }

    /** The paragraph as it was read (or changed), each field ending in a newline, no blank line after. */
    public String format() {
        StringBuilder out = new StringBuilder();
        fields.forEach(f -> out.append(f.format()));
        return out.toString();
    }
}
