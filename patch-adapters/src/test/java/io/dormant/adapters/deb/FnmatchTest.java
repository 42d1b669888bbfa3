package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Fnmatch} against the C library's own {@code fnmatch(3)} with flags 0, which dpkg calls: the
 * patterns of real path filters, the odd corners of bracket expressions and escapes, and many
 * random patterns and paths over the characters that matter.
 */
class FnmatchTest {

    interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int fnmatch(String pattern, String string, int flags);
    }

    private static boolean libc(String pattern, String string) {
        return C.LIBC.fnmatch(pattern, string, 0) == 0;
    }

    @Test
    void realFilterPatternsMatchAsTheCLibraryMatches() {
        List<String> patterns = List.of("/usr/share/doc/*", "/usr/share/doc/*/copyright", "/usr/share/man/*",
                "/usr/share/locale/*", "/usr/share/locale/locale.alias", "/usr/share/groff/*", "/usr/share/info/*",
                "/usr/share/lintian/overrides/*", "/usr/share/doc/*/*.gz", "/usr/lib/python3*/test/*",
                "/usr/share/i18n/locales/[a-d]*", "/usr/share/man/man[1-8]/*", "/etc/cron.*/[!.]*");
        List<String> paths = List.of("/usr/share/doc", "/usr/share/doc/", "/usr/share/doc/bash", "/usr/share/doc/bash/copyright",
                "/usr/share/doc/bash/changelog.Debian.gz", "/usr/share/doc/bash/examples/x/copyright", "/usr/share/man",
                "/usr/share/man/man1/ls.1.gz", "/usr/share/locale/locale.alias", "/usr/share/locale/de/LC_MESSAGES/x.mo",
                "/usr/lib/python3.11/test/test_os.py", "/usr/share/i18n/locales/de_DE", "/usr/share/i18n/locales/en_US",
                "/etc/cron.daily/.placeholder", "/etc/cron.daily/apt", "/usr/share/man/man9/x", "");
        for (String pattern : patterns) {
            for (String path : paths) {
                assertThat(Fnmatch.matches(pattern, path)).as("'%s' against '%s'", pattern, path).isEqualTo(libc(pattern, path));
            }
        }
    }

    @Test
    void bracketsEscapesAndStarsMatchAsTheCLibraryMatches() {
        List<String> patterns = List.of("[]]", "[]a]", "[!]]", "[^a]", "[a-]", "[-a]", "[a-c-e]", "[[:alpha:]]", "[[:digit:]x]",
                "[![:space:]]", "[", "[a", "a[", "[\\]]", "\\*", "\\", "a\\", "\\a", "[a\\-c]", "[\\!a]", "*[", "**a**", "?",
                "??", "*?", "[[:foo:]]", "[[:alpha:]", "[z-a]", "[.]", ".*", "*/.*", "[/]", "a*b*c", "[[]", "[*]", "[?]");
        List<String> strings = List.of("", "]", "a", "b", "-", "e", "d", "x", "5", " ", "[", "[a", "a[", "*", "\\", "a\\", "!", "c",
                ".x", "a/.b", "/", "abc", "aXbYc", "ab", "?", ":", "z");
        for (String pattern : patterns) {
            for (String string : strings) {
                assertThat(Fnmatch.matches(pattern, string)).as("'%s' against '%s'", pattern, string)
                        .isEqualTo(libc(pattern, string));
            }
        }
    }

    @Test
    void randomPatternsMatchAsTheCLibraryMatches() {
        Random random = new Random(20261127);
        String patternChars = "ab/.*?[]!^-\\:";
        String stringChars = "ab/.-]![\\";
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 200_000 && mismatches.size() < 10; i++) {
            String pattern = randomString(random, patternChars, 8);
            String string = randomString(random, stringChars, 6);
            if (Fnmatch.matches(pattern, string) != libc(pattern, string)) {
                mismatches.add("'" + pattern + "' against '" + string + "': libc says " + libc(pattern, string));
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String randomString(Random random, String chars, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }
}
