package io.dormant.library.workspace;

import static io.dormant.library.fs.Commands.run;
import static io.dormant.library.workspace.TestImages.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.diff.Change;
import io.dormant.library.fs.Commands;
import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Materialize a workspace into a real directory (owners, devices: needs root), change it, ingest it back. */
class WorkspaceMaterializeIT {
    Path work;
    ContentStore store;

    @BeforeEach
    void setUp() throws Exception {
        work = Commands.scratch("materialize");
        store = ContentStore.open(work.resolve("store"));
    }

    @AfterEach
    void clean() throws Exception {
        Commands.deleteTree(work);
    }

    @Test
    void ingestFindsExactlyWhatChangedAndRehashesOnlyThat() throws Exception {
        Workspace ws = Workspace.open(store, TestImages.small(store));
        ws.write("/etc/motd", new ByteArrayInputStream(b("staged before materialize\n")));
        Path dir = work.resolve("checkout");
        ws.materialize(dir, Progress.none());
        assertThat(Files.readString(dir.resolve("etc/motd"))).isEqualTo("staged before materialize\n");

        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/bash\n");
        Files.writeString(dir.resolve("etc/new"), "added by a script\n");
        run("chmod", "0600", dir.resolve("usr/bin/ls").toString());
        Files.delete(dir.resolve("dev/null"));
        IngestResult r = ws.ingest(dir, Progress.none());

        assertThat(r.changes().changes()).filteredOn(c -> !c.path().equals("/etc") && !c.path().equals("/dev"))
                .extracting(Change::toString).containsExactly(
                "REMOVED /dev/null", "ADDED /etc/new", "CHANGED /etc/passwd [CONTENT, MTIME]", "CHANGED /usr/bin/ls [MODE]");
        assertThat(r.imported().filesHashed()).as("passwd, new and the chmod-ed ls; not motd or hl1").isEqualTo(3);

        ObjectId committed = ws.commit();
        ImportResult direct = new DirectoryImporter(store, null).importDirectory(dir, Progress.none());
        assertThat(committed).as("the same tree a fresh import of the directory gives").isEqualTo(direct.root());
    }

    @Test
    void unchangedCheckoutOfARealTreeIngestsWithoutReadingAnyFile() throws Exception {
        Path rootfs = Commands.rootfs();
        ImportResult imported = new DirectoryImporter(store, null).importDirectory(rootfs, Progress.none());
        Workspace ws = Workspace.open(store, imported.root());
        Path dir = work.resolve("checkout");
        ws.materialize(dir, Progress.none());

        IngestResult r = ws.ingest(dir, Progress.none());

        assertThat(r.changes().changes()).isEmpty();
        assertThat(r.imported().filesHashed()).isZero();
        assertThat(ws.commit()).isEqualTo(imported.root());
    }
}
