package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.python.ByteCompileCache;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts {@link ByteCompileCache} around dh_python3's {@code py3compile -p PKG} line of a Python
 * module package's postinst, in the copy of the script the sandbox runs: before it, the .pyc files
 * an earlier apply's run wrote for the same inputs are put in place (py3compile finds them current
 * and compiles only the rest); after it succeeded, what it compiled is remembered. py3compile runs
 * as written either way, so a script whose line looks otherwise, or a cache that cannot answer,
 * changes nothing but the time.
 */
final class Py3compileCalls {

    private static final Pattern LINE = Pattern.compile(
            "^([ \\t]*)py3compile -p ([a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?)[ \\t]*$", Pattern.MULTILINE);
    private static final String FUNCTION = "dormant_py3compile";
    private static final String CACHE = "/run/dormant/bin/" + ByteCompileCache.COMMAND;

    private Py3compileCalls() {
    }

    /** The script with its py3compile lines wrapped, or null when it has none. */
    static byte[] rewrite(byte[] script) {
        String text = new String(script, StandardCharsets.ISO_8859_1);
        int firstLineEnd = ShellScriptText.firstLineEnd(text);
        if (firstLineEnd < 0) {
            return null;
        }
        Matcher lines = LINE.matcher(text);
        if (!lines.find()) {
            return null;
        }
        String body = lines.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + FUNCTION + " -p " + m.group(2)));
        String function = """
                %1$s() {
                    # Dormant puts the .pyc files an earlier apply's py3compile wrote from the same
                    # inputs in place; py3compile then runs as written and compiles the rest.
                    if [ -x %2$s ]; then
                        %2$s %3$s-lookup "$@" >/dev/null 2>&1 || :
                    fi
                    py3compile "$@" || return $?
                    if [ -x %2$s ]; then
                        %2$s %3$s-store "$@" >/dev/null 2>&1 || :
                    fi
                }
                """.formatted(FUNCTION, CACHE, ByteCompileCache.PY3COMPILE);
        String rewritten = text.substring(0, firstLineEnd + 1) + function + body.substring(firstLineEnd + 1);
        return rewritten.getBytes(StandardCharsets.ISO_8859_1);
    }
}
