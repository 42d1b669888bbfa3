package io.dormant.adapters.deb.cacerts;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A certificate name used as grep's basic regular expression, as ca-certificates' scripts use it
 * ({@code grep -q "^$ca\$"}, {@code grep -q "^$ca"}): a dot is any character, the rest literal.
 * Names with other characters special to grep are refused rather than translated. Names and
 * lines are bytes as ISO-8859-1 characters, matched as the UTF-8 text they are.
 */
final class GrepPattern {

    private final Pattern pattern;

    private GrepPattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /** {@code ^PREFIXname$} when whole, {@code ^PREFIXname} otherwise. */
    static GrepPattern of(String prefix, String name, boolean whole) throws CertificateFormatException {
        StringBuilder regex = new StringBuilder("^").append(Pattern.quote(prefix));
        // grep runs in C.UTF-8: a dot is one character, however many bytes it takes.
        for (char c : Latin1.text(name).toCharArray()) {
            if ("\\[*^$".indexOf(c) >= 0) {
                throw new CertificateFormatException("the name " + name + " holds " + c + ", special to grep");
            }
            regex.append(c == '.' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return new GrepPattern(Pattern.compile(whole ? regex.append('$').toString() : regex.toString(),
                Pattern.DOTALL | Pattern.UNIX_LINES));
    }

    /** grep -q over these lines. */
    boolean anyMatch(List<String> lines) {
        return lines.stream().anyMatch(l -> pattern.matcher(Latin1.textOrRaw(l)).find());
    }
}
