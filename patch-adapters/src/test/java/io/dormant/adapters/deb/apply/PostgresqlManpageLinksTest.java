package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rewritten loop against postgresql-common's own, both run by the host's /bin/sh. */
class PostgresqlManpageLinksTest {

    /** postgresql-common's function as bookworm and bullseye ship it (248, 225). */
    private static final String FUNCTION = """
            _link_manpages() {
                MANS=$(unset GREP_OPTIONS; dpkg -L $3 $4 $5 2>/dev/null | grep -E '/man/.*\\.[1-9](\\.gz)?$' | grep -v "$2") || true
                [ -n "$MANS" ] || return 0

            """ + PostgresqlManpageLinks.SLOW_LOOP + """
                update-alternatives --install /usr/share/man/$section/$2 \\
            	$2 /usr/share/postgresql/$1/man/$section/$2 \\
            	$priority $SLAVES
            }
            """;

    @TempDir
    Path tree;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "15 | /usr/share/postgresql/15/man/man1/clusterdb.1.gz /usr/share/postgresql/15/man/man1/pg_dump.1.gz",
        "15 | /usr/share/man/man1/elsewhere.1.gz /usr/share/postgresql/15/postgresql/15/man/man7/twice.7.gz",
        "13 | /usr/share/postgresql/15/man/man1/other-version.1.gz",
        "9.6 | /usr/share/postgresql/9x6/man/man1/sed-reads-a-dot-as-any.1.gz /usr/share/postgresql/9.6/man/man1/x.1",
        "'' | /usr/share/postgresql//man/man1/empty-version.1.gz",
        "15 | /usr/share/postgresql/15/man/man1/back\\\\nslash.1 /usr/share/postgresql/15/man/man1/colon:name.1",
        "15 | /usr/share/postgresql/15/man/man1/star*.1 /usr/share/postgresql/15/man/man1/dir/ /usr/share/postgresql/15/m?n/[x].1",
    })
    void theRewrittenLoopGivesTheSameArgumentsAsTheImagesOwn(String version, String mans) throws Exception {
        String call = "MANS='" + mans + "'\nloop '" + version + "'\n";

        String theirs = sh(loopFunction(PostgresqlManpageLinks.SLOW_LOOP) + call);
        String ours = sh(loopFunction(PostgresqlManpageLinks.FAST_LOOP) + call);

        assertThat(theirs).as("the image's own loop gave arguments").contains("--slave");
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void theFunctionIsDefinedAgainRightAfterTheSourceLine() throws IOException {
        writeFunctions(FUNCTION);
        byte[] script = """
                #!/bin/sh

                set -e

                VERSION=${DPKG_MAINTSCRIPT_PACKAGE##*-}

                . /usr/share/postgresql-common/maintscripts-functions

                if [ "$1" = configure ]; then
                    configure_client_version $VERSION "$2"
                fi
                """.getBytes(StandardCharsets.ISO_8859_1);

        String rewritten = new String(PostgresqlManpageLinks.rewrite(script, tree), StandardCharsets.ISO_8859_1);

        assertThat(rewritten).startsWith("#!/bin/sh\n\nset -e\n\nVERSION=${DPKG_MAINTSCRIPT_PACKAGE##*-}\n\n"
                + ". /usr/share/postgresql-common/maintscripts-functions\n_link_manpages() {\n");
        assertThat(rewritten).doesNotContain("$(basename $i) $i\"; done)").contains("${i##*/}")
                .contains("\t$priority $SLAVES\n}\n\nif [ \"$1\" = configure ]; then");
    }

    @Test
    void aFunctionWithoutThatExactLoopOrAScriptThatDoesNotSourceItIsLeftAsItIs() throws IOException {
        byte[] script = "#!/bin/sh\n. /usr/share/postgresql-common/maintscripts-functions\nconfigure_client_version 15\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PostgresqlManpageLinks.rewrite(script, tree)).as("no functions file").isNull();

        writeFunctions(FUNCTION.replace("$(basename $i)", "$(basename \"$i\")"));
        assertThat(PostgresqlManpageLinks.rewrite(script, tree)).as("another loop").isNull();

        writeFunctions(FUNCTION);
        assertThat(PostgresqlManpageLinks.rewrite("#!/bin/sh\nconfigure_client_version 15\n".getBytes(StandardCharsets.ISO_8859_1),
                tree)).as("not sourced").isNull();
        assertThat(PostgresqlManpageLinks.rewrite(("#!/usr/bin/perl\n. /usr/share/postgresql-common/maintscripts-functions\n")
                .getBytes(StandardCharsets.ISO_8859_1), tree)).as("not a shell script").isNull();
    }

    private void writeFunctions(String function) throws IOException {
        Path file = tree.resolve(PostgresqlManpageLinks.FUNCTIONS.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# PostgreSQL maintainer script functions\n\n" + function + "\n_unlink_manpages() {\n    :\n}\n");
    }

    private static String loopFunction(String loop) {
        return "loop() {\n" + loop + "    printf '%s' \"$SLAVES\"\n}\n";
    }

    private static String sh(String script) throws Exception {
        Process process = new ProcessBuilder(List.of("/bin/sh", "-c", script)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
