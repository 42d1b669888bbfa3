package io.dormant.adapters.deb.cacerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The debconf lists of the scripts ("a, b, c") as their shell helpers take them apart. */
final class CommaList {

    private static final Pattern LEADING_BLANKS = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]+");
    /** The script asks memberp of the same two lists once per line of the conf: split each once. */
    private static final Map<String, List<String>> SPLIT = new ConcurrentHashMap<>();

    private CommaList() {
    }

    /**
     * {@code echo "$l" | tr ',' '\n'}, then sed strips the leading blanks of each line: one line per element;
     * an empty list is one empty line.
     */
    static List<String> eachValue(String list) {
        List<String> values = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            values.add(LEADING_BLANKS.matcher(part).replaceFirst(""));
        }
        return values;
    }

    /** {@code each_value … | while read ca}: the shell's read also trims trailing blanks. */
    static List<String> readValues(String list) {
        return eachValue(list).stream().map(UpdateCaCertificates::read).toList();
    }

    /** memberp: {@code each_value "$l" | grep -q "^$m\$"}. */
    static boolean member(String name, String list) throws CertificateFormatException {
        List<String> values = SPLIT.size() < 16 ? SPLIT.computeIfAbsent(list, l -> List.copyOf(eachValue(l))) : eachValue(list);
        return GrepPattern.of("", name, true).anyMatch(values);
    }

    /** What debconf's protocol makes of a value: split on white space, joined by one blank. */
    static String overProtocol(String value) {
        String trimmed = value.strip();
        return trimmed.isEmpty() ? "" : String.join(" ", trimmed.split("[ \\t\\n\\r\\f]+"));
    }
}
