package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand vectors for dpkg's version syntax and order. Every ordering row was checked with
 * {@code dpkg --compare-versions} (dpkg 1.21); {@link DebianVersionIT} does the same for thousands
 * of generated pairs.
 */
class DebianVersionTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0 eq 1.0
            1.0 lt 1.1
            1.1 gt 1.0
            1.0 eq 0:1.0
            1.0 eq 1.0-0
            1.01 eq 1.1
            1.0 eq 1.00
            1:0.1 gt 2.0
            2:1.0 gt 1:99.0
            1.0~rc1 lt 1.0
            1.0~~ lt 1.0~
            1.0~~ lt 1.0~~a
            1.0~ lt 1.0
            1.0 lt 1.0a
            1.0 lt 1.0-1
            1.0-1 lt 1.0a
            1.0A lt 1.0a
            1.0a lt 1.0+
            1.0+ lt 1.0.
            1.0a lt 1.0.
            1.0.1 gt 1.0+1
            1.0 lt 1.0.0
            1.0-1 lt 1.0-2
            1.0-10 gt 1.0-9
            1.0-1~bpo1 lt 1.0-1
            1.0-1 lt 1.0-1+deb12u1
            1.0-1+deb12u1 lt 1.0-1+deb12u2
            1.0-1ubuntu1 gt 1.0-1
            2.30-4 lt 2.30-4ubuntu0.1
            10 gt 9
            9 lt 10
            99999999999999999999 lt 100000000000000000000
            0000000000000000000099 eq 99
            1:2:3 gt 1:2
            1:2:3 gt 1:2.3
            1.2-3-4 gt 1.2-3
            1.2-3-4 lt 1.2.3-4
            7.4p1-10+deb9u7 lt 7.4p1-10+deb9u8
            1.0a1 lt 1.0b
            1.0z gt 1.0~
            1.0-1 lt 1.0-1.1
            1.2.3 gt 1.2
            3.0.2-0ubuntu1 gt 3.0.1-0ubuntu9
            1:1.2.11.dfsg-2+deb11u2 lt 1:1.2.13.dfsg-1
            4.19.0-21 lt 4.19.0-21+b1
            a lt b
            """)
    void ordersAsDpkgDoes(String a, String relation, String b) {
        DebianVersion left = DebianVersion.parseLenient(a);
        DebianVersion right = DebianVersion.parseLenient(b);

        assertThat(relationOf(left.compareTo(right))).isEqualTo(relation);
        assertThat(Integer.signum(right.compareTo(left))).isEqualTo(-Integer.signum(left.compareTo(right)));
    }

    @Test
    void sortsAChainOfTrickyVersions() {
        List<String> ascending = List.of("0.9", "1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-0.1", "1.0-1~rc1", "1.0-1",
                "1.0-1+b1", "1.0A", "1.0a~", "1.0a", "1.0a+", "1.0+", "1.0.", "1.0.1", "1.1", "1:0.1", "1:0.1-1");
        List<DebianVersion> shuffled = new ArrayList<>(ascending.stream().map(DebianVersion::parse).toList());
        Collections.shuffle(shuffled, new Random(7));

        Collections.sort(shuffled);

        assertThat(shuffled).extracting(DebianVersion::toString).containsExactlyElementsOf(ascending);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            2.30                  | 0 | 2.30     | ''
            1:2.30-4ubuntu1       | 1 | 2.30     | 4ubuntu1
            0:1.0                 | 0 | 1.0      | ''
            1:2:3-4-5             | 1 | 2:3-4    | 5
            1.0--1                | 0 | 1.0-     | 1
            007:1.0               | 7 | 1.0      | ''
            2147483647:1          | 2147483647 | 1 | ''
            1.0~rc1+dfsg-2~bpo11+1 | 0 | 1.0~rc1+dfsg | 2~bpo11+1
            """)
    void splitsEpochUpstreamAndRevision(String text, int epoch, String upstream, String revision) {
        assertThat(DebianVersion.parse(text)).isEqualTo(new DebianVersion(epoch, upstream, revision));
    }

    @Test
    void ignoresLeadingAndTrailingBlanksAsDpkgDoes() {
        assertThat(DebianVersion.parse(" \t1.0-1 ")).isEqualTo(new DebianVersion(0, "1.0", "1"));
    }

    @ParameterizedTest(name = "[{0}]: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''            | version string is empty
            '  '          | version string is empty
            1.0 1         | version string has embedded spaces
            1:            | nothing after colon in version number
            :1.0          | epoch in version is empty
            x:1.0         | epoch in version is not number
            1.0-a:b       | epoch in version is not number
            -1:1.0        | epoch in version is not number
            2147483648:1  | epoch in version is too big
            99999999999999999999:1 | epoch in version is too big
            1.0-          | revision number is empty
            1:1.0-        | revision number is empty
            -1            | version number is empty
            1:-1          | version number is empty
            a1.0          | version number does not start with digit
            ~1            | version number does not start with digit
            1.0_1         | invalid character '_' in version number
            1.0-1_2       | invalid character '_' in revision number
            1.0-1:2       | epoch in version is not number
            1:1.0-1:2     | invalid character ':' in revision number
            1.0é          | invalid character U+00E9 in version number
            """)
    void refusesBadSyntaxNamingTheString(String text, String problem) {
        assertThatThrownBy(() -> DebianVersion.parse(text))
                .isInstanceOf(DebianVersionSyntaxException.class)
                .hasMessageStartingWith("version '" + text + "' has bad syntax: " + problem)
                .satisfies(e -> assertThat(((DebianVersionSyntaxException) e).version()).isEqualTo(text));
    }

    @Test
    void lenientParsingAcceptsWhatDpkgOnlyWarnsAbout() {
        assertThat(DebianVersion.parseLenient("a1.0")).isEqualTo(new DebianVersion(0, "a1.0", ""));
        assertThat(DebianVersion.parseLenient("1.0_1-2_3")).isEqualTo(new DebianVersion(0, "1.0_1", "2_3"));
        assertThat(DebianVersion.parseLenient("1:1.0-1:2")).isEqualTo(new DebianVersion(1, "1.0", "1:2"));
        // '_' is not a letter, so it sorts after every letter and after '+' (95+256 > 43+256).
        assertThat(DebianVersion.parseLenient("1.0_")).isGreaterThan(DebianVersion.parse("1.0+"));
    }

    @Test
    void lenientParsingStillRefusesWhatDpkgRefuses() {
        assertThatThrownBy(() -> DebianVersion.parseLenient("1.0-"))
                .hasMessage("version '1.0-' has bad syntax: revision number is empty");
        assertThatThrownBy(() -> DebianVersion.parseLenient("1.0\u00e9"))
                .hasMessageContaining("U+00E9");
    }

    @ParameterizedTest
    @CsvSource({"1.0", "1:1.0", "1.0-1", "0:1:2", "1:2:3-4-5", "0:1.0-1:2", "1.0--1"})
    void printsWhatItReadsAndReadsWhatItPrints(String text) {
        DebianVersion version = DebianVersion.parseLenient(text);

        assertThat(DebianVersion.parseLenient(version.toString())).isEqualTo(version);
        assertThat(version.toString()).isEqualTo(text);
    }

    @Test
    void dropsAZeroEpochWhenPrintingUnlessAColonNeedsIt() {
        assertThat(DebianVersion.parse("0:1.0-1")).hasToString("1.0-1");
        assertThat(new DebianVersion(0, "1:2", "")).hasToString("0:1:2");
    }

    @Test
    void equalsComparesTheTextWhileCompareToComparesAsDpkg() {
        DebianVersion plain = DebianVersion.parse("1.0");
        DebianVersion zeroRevision = DebianVersion.parse("1.0-0");

        assertThat(plain.compareTo(zeroRevision)).isZero();
        assertThat(plain).isNotEqualTo(zeroRevision);
    }

    @Test
    void refusesPartsThatCouldNotBeReadBack() {
        assertThatThrownBy(() -> new DebianVersion(-1, "1.0", ""))
                .hasMessageContaining("epoch in version is negative");
        assertThatThrownBy(() -> new DebianVersion(0, "", "1"))
                .hasMessageContaining("version number is empty");
        assertThatThrownBy(() -> new DebianVersion(0, "1.0", "1-2"))
                .hasMessageContaining("revision number contains '-'");
        assertThatThrownBy(() -> new DebianVersion(0, "1.0-1", ""))
                .hasMessageContaining("no revision");
        assertThatThrownBy(() -> new DebianVersion(0, "1 0", ""))
                .hasMessageContaining("U+0020");
    }

    private static String relationOf(int comparison) {
        return comparison < 0 ? "lt" : comparison == 0 ? "eq" : "gt";
    }
}
