package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads the dpkg database of a real debootstrapped bookworm tree, as dpkg wrote it. */
class DpkgDatabaseIT {

    private DpkgDatabase db;

    @BeforeEach
    void open() {
        assumeTrue(Files.isRegularFile(DpkgStatusWriterIT.BOOKWORM.resolve("var/lib/dpkg/status")),
                "needs the debootstrapped bookworm tree");
        db = new DpkgDatabase(ImageFiles.of(DpkgStatusWriterIT.BOOKWORM));
    }

    @Test
    void writesTheStatusFileBackByteForByte() throws Exception {
        byte[] original = Files.readAllBytes(DpkgStatusWriterIT.BOOKWORM.resolve("var/lib/dpkg/status"));

        byte[] written = DpkgStatusWriter.write(db.statusParagraphs());

        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(new String(original, StandardCharsets.UTF_8));
        assertThat(written).isEqualTo(original);
    }

    @Test
    void rebuildsEveryInstalledParagraphInDpkgsOwnForm() throws Exception {
        // dpkg writes each entry from its parsed form; rebuilding from the fields must be a fixed point.
        for (DpkgStatusEntry entry : db.status()) {
            DebControl rebuilt = DpkgStatusWriter.paragraph(entry.paragraph(), entry.status(), entry.conffiles());
            assertThat(rebuilt.format()).as(entry.name()).isEqualTo(entry.paragraph().format());
        }
    }

    @Test
    void inventoryMatchesDpkgQuery() throws Exception {
        Inventory inventory = db.inventory();

        assertThat(inventory.items()).hasSizeGreaterThan(50);
        assertThat(inventory.installed("dpkg")).singleElement()
                .satisfies(i -> assertThat(i.version().toString()).startsWith("1.21."));
        assertThat(inventory.items()).allSatisfy(i -> assertThat(i.status().isInstalled()).isTrue());
    }

    @Test
    void readsInfoFilesDiversionsTriggersAndAlternatives() throws Exception {
        DpkgStatusEntry libc = db.entry("libc6").orElseThrow();
        assertThat(libc.infoName()).isEqualTo("libc6:amd64");
        assertThat(db.fileList(libc.infoName())).contains("/.");
        assertThat(db.md5sums(libc.infoName())).isNotEmpty();
        assertThat(db.script("dpkg", "postinst")).isPresent();
        assertThat(db.conffiles("base-files")).extracting(DebConffile::path).contains("/etc/issue");

        List<DpkgDiversion> diversions = db.diversions();
        assertThat(diversions).contains(new DpkgDiversion("/bin/sh", "/bin/sh.distrib", "dash"));

        DpkgTriggers triggers = db.triggers();
        assertThat(triggers.fileInterests()).contains(new DpkgTriggerInterest("/usr/share/debianutils/shells.d", "debianutils", true));
        assertThat(triggers.explicitInterests()).contains(new DpkgTriggerInterest("ldconfig", "libc-bin", false));

        assertThat(db.alternatives()).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("pager");
            assertThat(a.link()).isEqualTo("/usr/bin/pager");
            assertThat(a.slaves()).containsExactly(new DpkgAlternative.Slave("pager.1.gz", "/usr/share/man/man1/pager.1.gz"));
            assertThat(a.choices()).contains(new DpkgAlternative.Choice("/bin/more", 50, List.of("/usr/share/man/man1/more.1.gz")));
        });
    }
}
