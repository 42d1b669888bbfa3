package io.dormant.adapters.deb.cacerts;

import java.util.ArrayList;
import java.util.List;

/** The debconf lists of the scripts ("a, b, c") as their shell helpers take them apart. */
final class CommaList {

    private CommaList() {
    }

    /**
     * {@code echo "$l" | tr ',' '\n'}, then sed strips the leading blanks of each line: one line per element;
     * an empty list is one empty line.
     */
    static List<String> eachValue(String list) {
        List<String> values = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            values.add(part.replaceFirst("^[ \\t\\n\\x0B\\f\\r]+", ""));
        }
        return values;
    }

    /** {@code each_value … | while read ca}: the shell's read also trims trailing blanks. */
    static List<String> readValues(String list) {
        return eachValue(list).stream().map(UpdateCaCertificates::read).toList();
    }

    /** memberp: {@code each_value "$l" | grep -q "^$m\$"}. */
    static boolean member(String name, String list) throws CertificateFormatException {
        return GrepPattern.of("", name, true).anyMatch(eachValue(list));
    }

    /** What debconf's protocol makes of a value: split on white space, joined by one blank. */
    static String overProtocol(String value) {
        String trimmed = value.strip();
        return trimmed.isEmpty() ? "" : String.join(" ", trimmed.split("[ \\t\\n\\r\\f]+"));
    }
}
