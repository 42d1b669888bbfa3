package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image's apt configuration as apt reads it, for the flags a plan asks for. */
class AptConfigurationTest {

    @TempDir
    Path root;

    @Test
    void readsFlatAndScopedSettingsInAnyCase() {
        assertThat(AptConfiguration.parse("APT::Install-Recommends \"false\";").installsRecommends()).isFalse();
        assertThat(AptConfiguration.parse("apt::install-recommends \"0\";").installsRecommends()).isFalse();
        assertThat(AptConfiguration.parse("APT {\n  Install-Recommends \"no\";\n  Get::Assume-Yes \"true\";\n};")
                .installsRecommends()).isFalse();
        assertThat(AptConfiguration.parse("APT { Get { Assume-Yes \"1\"; }; };").flag("APT::Get::Assume-Yes", false)).isTrue();
        assertThat(AptConfiguration.parse("APT::Install-Recommends true;").installsRecommends()).isTrue();
        assertThat(AptConfiguration.parse("").installsRecommends()).isTrue();
    }

    @Test
    void skipsCommentsButNotWhatLooksLikeOneInsideAString() {
        AptConfiguration config = AptConfiguration.parse("""
                // APT::Install-Recommends "false";
                # APT::Install-Recommends "false";
                /* APT::Install-Recommends
                   "false"; */
                Acquire::http::Proxy "http://proxy.example:3128/"; // a URL has two slashes
                APT::Install-Suggests "0";
                """);

        assertThat(config.installsRecommends()).isTrue();
        assertThat(config.value("Acquire::http::Proxy")).contains("http://proxy.example:3128/");
        assertThat(config.flag("APT::Install-Suggests", true)).isFalse();
    }

    @Test
    void readsThePartsByNameThenAptConfAndTheLastSettingWins() throws Exception {
        Path parts = Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
        Files.writeString(parts.resolve("10no-recommends"), "APT::Install-Recommends \"false\";\n");
        Files.writeString(parts.resolve("20back.conf"), "APT::Install-Recommends \"true\";\n");
        Files.writeString(parts.resolve("30off.dpkg-old"), "APT::Install-Recommends \"false\";\n");
        Files.writeString(parts.resolve("40off.disabled"), "APT::Install-Recommends \"false\";\n");
        Files.createDirectory(parts.resolve("50directory"));

        assertThat(AptConfiguration.of(ImageFiles.of(root)).installsRecommends()).isTrue();

        Files.writeString(root.resolve("etc/apt/apt.conf"), "APT::Install-Recommends \"off\";\n");
        assertThat(AptConfiguration.of(ImageFiles.of(root)).installsRecommends()).isFalse();
    }

    @Test
    void anAbsurdlyLargeFileIsRefusedByName() throws Exception {
        Path parts = Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
        Files.write(parts.resolve("99huge"), new byte[(1 << 20) + 1]);

        assertThatThrownBy(() -> AptConfiguration.of(ImageFiles.of(root))).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("/etc/apt/apt.conf.d/99huge is over 1 MiB");
    }

    @Test
    void anImageWithoutAptInstallsRecommendsAsAptWould() throws Exception {
        assertThat(AptConfiguration.of(ImageFiles.of(root)).installsRecommends()).isTrue();
    }
}
