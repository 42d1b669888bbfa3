package io.dormant.adapters.deb;

/**
 * One field of a control paragraph, kept as written so that rewriting a paragraph changes only
 * what was meant to change.
 *
 * @param name     as written; looked up case-insensitively, as dpkg does
 * @param rawValue everything after the colon up to the field's last newline (not included):
 *                 the blank after the colon and continuation lines with their leading blank
 */
public record DebControlField(String name, String rawValue) {

    /** A field whose value is written as dpkg writes it, "Name: value". */
    public static DebControlField of(String name, String value) {
        return new DebControlField(name, value.isEmpty() || value.startsWith("\n") ? value : " " + value);
    }

    /** The value as dpkg reads it: without the blanks after the colon and at the very end. */
    public String value() {
        return rawValue.strip();
    }

    public boolean is(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }

    /** The field as it appears in a paragraph, with its newline. */
    public String format() {
        return name + ":" + rawValue + "\n";
    }
}
