package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** deb822 paragraphs as dpkg reads them, and written back unchanged. */
class DebControlTest {

    private static final String STATUS = """
            Package: e2fsprogs
            Status: install ok installed
            Priority:   required
            Conffiles:
             /etc/e2scrub.conf df38534cc670c70a91cf9b035845d244
             /etc/mke2fs.conf 6a2103e33d9e48b5f6f3190045c37561 obsolete
            Description: ext2/ext3/ext4 file system utilities
             The ext2, ext3 and ext4 file systems are successors.
             .
             It also includes "badblocks".
            Important: yes

            Package: dash
            Status: install ok installed

            """;

    @Test
    void keepsFieldsInOrderWithTheirRawValues() throws Exception {
        List<DebControl> paragraphs = DebControl.parseAll(STATUS, "status");

        assertThat(paragraphs).hasSize(2);
        DebControl e2fs = paragraphs.get(0);
        assertThat(e2fs.fields()).extracting(DebControlField::name)
                .containsExactly("Package", "Status", "Priority", "Conffiles", "Description", "Important");
        assertThat(e2fs.value("priority")).contains("required");
        assertThat(e2fs.field("PRIORITY").orElseThrow().rawValue()).isEqualTo("   required");
        assertThat(e2fs.value("Description").orElseThrow()).startsWith("ext2/ext3/ext4 file system utilities\n The ext2")
                .endsWith("\"badblocks\".");
        assertThat(DpkgStatusWriter.write(paragraphs)).asString().isEqualTo(STATUS);
    }

    @Test
    void readsStatusConffilesWithTheirFlags() throws Exception {
        DpkgStatusEntry entry = DpkgStatusEntry.of(DebControl.parseAll(STATUS, "status").get(0), "status");

        assertThat(entry.conffiles()).containsExactly(
                new DebConffile("/etc/e2scrub.conf", "df38534cc670c70a91cf9b035845d244", false, false),
                new DebConffile("/etc/mke2fs.conf", "6a2103e33d9e48b5f6f3190045c37561", true, false));
        assertThat(entry.status()).isEqualTo(DpkgStatus.INSTALLED);
    }

    @Test
    void changesOneFieldAndLeavesTheRest() throws Exception {
        DebControl dash = DebControl.parseAll(STATUS, "status").get(1);

        assertThat(dash.with("status", "deinstall ok config-files").with("Version", "0.5.12-2").format()).isEqualTo("""
                Package: dash
                Status: deinstall ok config-files
                Version: 0.5.12-2
                """);
    }

    @Test
    void refusesWhatDpkgRefuses() {
        assertThatThrownBy(() -> DebControl.parse("Package: a\nVersion: 1\npackage: b\n", "control"))
                .isInstanceOf(DebControlException.class).hasMessage("control line 3: duplicate value for field 'package'");
        assertThatThrownBy(() -> DebControl.parse(" continued\n", "control"))
                .hasMessage("control line 1: continuation line before any field");
        assertThatThrownBy(() -> DebControl.parse("Package: a\nno colon here\n", "control"))
                .hasMessage("control line 2: 'no colon here' is not a field: a field is 'Name: value',"
                        + " a continuation line starts with a blank");
        assertThatThrownBy(() -> DebControl.parse("Package: a\n\nPackage: b\n", "control"))
                .hasMessage("control: holds 2 paragraphs; a control file has one");
    }

    @Test
    void readsTriggersFiles() throws Exception {
        DebTriggers triggers = DebTriggers.parse("""
                # ldconfig
                interest-noawait ldconfig
                interest /usr/lib/mime/packages
                activate-await update-ca-certificates
                activate-noawait /etc/ssl
                """, "triggers");

        assertThat(triggers.interests()).extracting(DebTriggerDirective::trigger).containsExactly("ldconfig", "/usr/lib/mime/packages");
        assertThat(triggers.directives()).extracting(d -> d.kind().awaits()).containsExactly(false, true, true, false);
        assertThatThrownBy(() -> DebTriggers.parse("interested foo\n", "triggers"))
                .hasMessage("triggers line 1: 'interested foo' is not '<interest|activate>[-await|-noawait] <trigger>'");
    }
}
