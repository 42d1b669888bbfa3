package io.dormant.library.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each quoted word, read back by a real shell, is the word again. */
class ShellWordsTest {

    private static final List<String> WORDS = List.of("configure", "1:2.3-4+deb12u1", "", "VM images", "admin's",
            "$HOME", "`id`", "a;b", "*", "new\nline", "'", "tab\there", "é");

    @Test
    void theShellReadsEveryQuotedWordBackAsItWas() throws IOException, InterruptedException {
        for (String word : WORDS) {
            assertThat(echoed(ShellWords.quote(word))).as("quote(%s)", word).isEqualTo(word);
            assertThat(echoed(ShellWords.singleQuoted(word))).as("singleQuoted(%s)", word).isEqualTo(word);
        }
    }

    @Test
    void aPlainWordStaysAsItIsWhereAQuoteIsNotNeeded() {
        assertThat(ShellWords.quote("/usr/sbin/invoke-rc.d")).isEqualTo("/usr/sbin/invoke-rc.d");
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.singleQuoted("configure")).isEqualTo("'configure'");
    }

    private static String echoed(String quoted) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", "printf %s " + quoted).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor()).isZero();
        return out;
    }
}
