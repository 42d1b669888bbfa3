package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgConfigurationTest {

    @Test
    void filtersAreReadInOrderWithEachOfDpkgsValueForms() throws IOException {
        DpkgConfiguration options = DpkgConfiguration.parse("excludes", """
                # a slim image's
                path-exclude=/usr/share/doc/*
                path-include /usr/share/doc/*/copyright
                path-exclude = "/usr/share/man/*"\t
                path-exclude:'/usr/share/locale/*'

                force-unsafe-io
                log /var/log/dpkg.log
                """);

        assertThat(options.pathFilters().filters()).containsExactly(
                new DpkgPathFilters.Filter("/usr/share/doc/*", false), new DpkgPathFilters.Filter("/usr/share/doc/*/copyright", true),
                new DpkgPathFilters.Filter("/usr/share/man/*", false), new DpkgPathFilters.Filter("/usr/share/locale/*", false));
        assertThat(options.notFollowed()).isEmpty();
    }

    @Test
    void optionsThatWouldChangeTheOutcomeAreNamedWithWhereTheyAreSet() throws IOException {
        DpkgConfiguration options = DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg.d/local", "force-all\nforce-overwrite\n");

        assertThat(options.notFollowed()).hasSize(2);
        assertThat(options.notFollowed().get(0)).contains("'force-all'", "/etc/dpkg/dpkg.cfg.d/local line 1", ".dpkg-dist");
        assertThat(options.notFollowed().get(1)).contains("'force-overwrite'", "line 2");
    }

    @Test
    void conffileOptionsAreFollowedAndALaterLineUndoesAnEarlierOne() throws IOException {
        DpkgConfiguration options = DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg",
                "force-confnew\nforce-confmiss\nforce-confask\nno-force-confask\nforce-confdef\nrefuse-confdef\n");

        assertThat(options.conffileOptions()).isEqualTo(new DpkgConffileOptions(true, false, false, true, false));
        assertThat(options.notFollowed()).isEmpty();
        assertThat(DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg", "log x\n").conffileOptions()).isEqualTo(DpkgConffileOptions.NONE);
    }

    @Test
    void linesDpkgRefusesAreRefusedWithTheFileAndLine() {
        assertThatThrownBy(() -> DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg", "path-exclude\n"))
                .hasMessageContaining("/etc/dpkg/dpkg.cfg line 1").hasMessageContaining("needs a value");
        assertThatThrownBy(() -> DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg", "log x\npath-exclude \"/usr/share/doc/*\n"))
                .hasMessageContaining("line 2").hasMessageContaining("unbalanced quotes");
        assertThatThrownBy(() -> DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg", "  path-exclude=/x\n"))
                .hasMessageContaining("line 1").hasMessageContaining("not an option");
        assertThatThrownBy(() -> DpkgConfiguration.parse("/etc/dpkg/dpkg.cfg", "path-exclude=/" + "x".repeat(1010) + "\n"))
                .hasMessageContaining("line 1").hasMessageContaining("longer than dpkg's 1023 characters");
    }

    @Test
    void theImagesFilesAreReadInDpkgsOrderAndNamesDpkgSkipsAreSkipped(@TempDir Path root) throws IOException {
        Path parts = Files.createDirectories(root.resolve("etc/dpkg/dpkg.cfg.d"));
        Files.writeString(parts.resolve("b-second"), "path-include=/b\n");
        Files.writeString(parts.resolve("a_first"), "path-exclude=/a\n");
        Files.writeString(parts.resolve("skipped.conf"), "path-exclude=/skipped-for-its-dot\n");
        Files.writeString(parts.resolve(".hidden"), "path-exclude=/hidden\n");
        Files.writeString(root.resolve("etc/dpkg/dpkg.cfg"), "path-exclude=/main\n");
        Files.createDirectories(root.resolve("root"));
        Files.writeString(root.resolve("root/.dpkg.cfg"), "path-exclude=/roots\n");

        List<String> patterns = DpkgConfiguration.of(ImageFiles.of(root)).pathFilters().filters().stream()
                .map(DpkgPathFilters.Filter::pattern).toList();

        assertThat(patterns).containsExactly("/a", "/b", "/main", "/roots");
    }

    @Test
    void aDirectoryExcludedButUnderAnIncludeIsKept() {
        DpkgPathFilters filters = new DpkgPathFilters(List.of(new DpkgPathFilters.Filter("/usr/share/doc/*", false),
                new DpkgPathFilters.Filter("/usr/share/doc/*/copyright", true)));

        assertThat(filters.skips("/usr/share/doc/bash", true)).isFalse();
        assertThat(filters.skips("/usr/share/doc/bash", false)).isTrue();
        assertThat(filters.skips("/usr/share/doc/bash/copyright", false)).isFalse();
        assertThat(filters.skips("/usr/share/doc/bash/README", false)).isTrue();
        assertThat(filters.skips("/usr/share/docs", false)).isFalse();
        assertThat(DpkgPathFilters.NONE.skips("/usr/share/doc/bash/README", false)).isFalse();
    }
}
