package io.dormant.adapters.deb.apply;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists postgresql's manual pages for update-alternatives without two processes per page.
 * postgresql-common's {@code _link_manpages}, which the postinsts of postgresql-client-N,
 * postgresql-N and postgresql-doc-N call, builds its {@code --slave} arguments in a loop that runs
 * {@code sed} and {@code basename} for each of about a hundred pages: a few hundred process starts,
 * 3 s of a 12 s apply on a machine where one costs 5 ms, and dpkg pays them too.
 * <p>
 * In the sandbox copy of a script that sources the image's {@code maintscripts-functions}, the
 * function is defined again right after the source line: the image's own text, with only that
 * loop line replaced by one that computes the same words with shell expansions. Names the
 * expansions could treat differently from {@code echo | sed} and {@code basename} (a version that
 * is not all digits, which sed would read as a pattern; a path with a backslash, a glob character,
 * a colon or a trailing slash) take the image's commands, as written. Only when the image's
 * function has that exact line; the image's files and every other script stay as they are.
 */
final class PostgresqlManpageLinks {

    static final String FUNCTIONS = "/usr/share/postgresql-common/maintscripts-functions";
    private static final Pattern SOURCE = Pattern.compile("^[ \\t]*\\.[ \\t]+" + Pattern.quote(FUNCTIONS) + "[ \\t]*$",
            Pattern.MULTILINE);
    private static final Pattern FUNCTION = Pattern.compile("^_link_manpages\\(\\) \\{\\n(?:.*\\n)*?\\}\\n", Pattern.MULTILINE);
    static final String SLOW_LOOP = "    SLAVES=$(for i in $MANS; do TARGET=$(echo $i | sed \"s/postgresql\\/$1\\///\"); "
            + "echo -n \" --slave $TARGET $(basename $i) $i\"; done)\n";
    static final String FAST_LOOP = """
                SLAVES=$(for i in $MANS; do
                    case $1:$i in
                        (*[!0-9]*:*|*[\\\\*?[]*|*:*:*|*/) TARGET=$(echo $i | sed "s/postgresql\\/$1\\///"); echo -n " --slave $TARGET $(basename $i) $i" ;;
                        (*) case $i in
                                (*"postgresql/$1/"*) TARGET=${i%%"postgresql/$1/"*}${i#*"postgresql/$1/"} ;;
                                (*) TARGET=$i ;;
                            esac
                            echo -n " --slave $TARGET ${i##*/} $i" ;;
                    esac
                done)
            """;

    private PostgresqlManpageLinks() {
    }

    /** The script with the function defined again after its source line, or null when it is left as it is. */
    static byte[] rewrite(byte[] script, Path tree) throws IOException {
        String text = new String(script, StandardCharsets.ISO_8859_1);
        if (!text.contains(FUNCTIONS) || ShellScriptText.firstLineEnd(text) < 0) {
            return null;
        }
        Matcher source = SOURCE.matcher(text);
        if (!source.find()) {
            return null;
        }
        String fast = fastFunction(tree);
        if (fast == null) {
            return null;
        }
        int lineEnd = source.end() < text.length() && text.charAt(source.end()) == '\n' ? source.end() + 1 : source.end();
        String separator = lineEnd == source.end() ? "\n" : "";
        return (text.substring(0, lineEnd) + separator + fast + text.substring(lineEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The image's {@code _link_manpages} with its loop line replaced, or null when it lacks that exact line. */
    static String fastFunction(Path tree) throws IOException {
        Path functions = new RootedFiles(tree).resolve(FUNCTIONS, true);
        if (!Files.isRegularFile(functions, LinkOption.NOFOLLOW_LINKS) || Files.size(functions) > 1 << 20) {
            return null;
        }
        Matcher function = FUNCTION.matcher(Files.readString(functions, StandardCharsets.ISO_8859_1));
        if (!function.find()) {
            return null;
        }
        String body = function.group();
        int loop = body.indexOf(SLOW_LOOP);
        if (loop < 0 || body.indexOf(SLOW_LOOP, loop + 1) >= 0) {
            return null;
        }
        return body.substring(0, loop) + FAST_LOOP + body.substring(loop + SLOW_LOOP.length());
    }
}
