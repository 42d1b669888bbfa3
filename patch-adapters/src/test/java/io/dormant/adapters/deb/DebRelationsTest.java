package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Relation fields with dpkg's syntax, and written back as dpkg writes them into the status file. */
class DebRelationsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', textBlock = """
            Depends;     libc6 (>= 2.34), libssl3 (>= 3.0.9);         libc6 (>= 2.34), libssl3 (>= 3.0.9)
            Depends;     libc6(>=2.34),libssl3;                       libc6 (>= 2.34), libssl3
            Depends;     debconf (>= 0.5) | debconf-2.0;              debconf (>= 0.5) | debconf-2.0
            Depends;     python3:any (<< 3.12), perl:native;          python3:any (<< 3.12), perl:native
            Pre-Depends; dpkg (>= 0:1.15.6~);                         dpkg (>= 1.15.6~)
            Breaks;      old (< 1.0), older (> 2:1.0);                old (<= 1.0), older (>= 2:1.0)
            Provides;    base (= 1.0), awk;                           base (= 1.0), awk
            """)
    void parsesAndWritesAsDpkgDoes(String field, String value, String written) {
        assertThat(DebRelations.parse(field, value).format()).isEqualTo(written);
    }

    @Test
    void modelsAlternativesQualifiersAndVersions() {
        DebRelations depends = DebRelations.parse("Depends", "debconf (>= 0.5) | debconf-2.0, libc6:any");

        assertThat(depends.groups()).hasSize(2);
        DebRelation debconf = depends.groups().get(0).alternatives().get(0);
        assertThat(debconf.op()).isEqualTo(DebRelationOp.GE);
        assertThat(debconf.acceptsVersion(DebianVersion.parse("1.5.82"))).isTrue();
        assertThat(debconf.acceptsVersion(DebianVersion.parse("0.4"))).isFalse();
        assertThat(depends.groups().get(1).alternatives().get(0).architecture()).isEqualTo("any");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', textBlock = """
            Depends;   libc6 [amd64];       'Depends' field, reference to 'libc6': architecture restrictions and build profiles ('[...') are only valid in source packages
            Depends;   foo <!nocheck>;      'Depends' field, reference to 'foo': architecture restrictions and build profiles ('<...') are only valid in source packages
            Conflicts; a | b;               'Conflicts' field, alternatives ('|') not allowed
            Provides;  a (>= 1);            'Provides' field, only exact versions may be used for 'Provides' field
            Depends;   a (>< 1);            'Depends' field, reference to 'a': bad version relationship ><
            Depends;   a (>= 1;             'Depends' field, reference to 'a': version unterminated
            Depends;   a (>= 1:);           'Depends' field, reference to 'a': version '1:' has bad syntax: nothing after colon in version number
            Depends;   -a;                  'Depends' field, invalid package name '-a': must start with an alphanumeric character
            Depends;   a,, b;               'Depends' field, missing package name, or garbage where package name expected
            """)
    void refusesWhatDpkgRefuses(String field, String value, String message) {
        assertThatThrownBy(() -> DebRelations.parse(field, value)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
