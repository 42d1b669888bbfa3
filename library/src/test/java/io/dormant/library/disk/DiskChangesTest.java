package io.dormant.library.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.diff.TreeDiff;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tar.TarExporter;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.TreeWriter;
import io.dormant.library.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a disk export removes and extracts, for each kind of change between two versions. */
class DiskChangesTest {
    @TempDir
    Path dir;
    ContentStore store;
    ObjectId base;

    @BeforeEach
    void baseVersion() throws IOException {
        store = ContentStore.open(dir.resolve("store"));
        Workspace w = Workspace.open(store, new TreeWriter(store).write(ImageNode.directory(Metadata.of(0755, 0, 0, 100, 0))));
        w.mkdir("/etc", 0755);
        w.write("/etc/keep", text("same"));
        w.write("/etc/conf", text("old"));
        w.mkdir("/var", 0755);
        w.mkdir("/var/old", 0755);
        w.mkdir("/var/old/sub", 0755);
        w.write("/var/old/sub/file", text("x"));
        w.symlink("/etc/link", "/nowhere");
        w.mkdir("/usr", 0755);
        w.write("/usr/tool", text("v1"));
        w.hardlink("/usr/tool2", "/usr/tool");
        base = w.commit();
    }

    @Test
    void removalsAreTheTopmostPathsAndTypeChangesAreRemovedFirst() throws IOException {
        Workspace w = Workspace.open(store, base);
        w.deleteRecursive("/var/old");
        w.delete("/etc/link");
        w.mkdir("/etc/link", 0750);
        DiskChanges changes = changes(w.commit());

        assertThat(changes.removals()).extracting(p -> new String(p, StandardCharsets.UTF_8)).containsExactly("etc/link", "var/old");
    }

    @Test
    void theTarHoldsChangedEntriesTheirDirectoriesAndLinksToAChangedFile() throws IOException {
        Workspace w = Workspace.open(store, base);
        w.write("/usr/tool", text("v2"));
        w.write("/etc/conf", text("new"));
        ObjectId next = w.commit();
        DiskChanges changes = changes(next);

        assertThat(tarNames(next, changes)).containsExactly("./", "./etc/", "./etc/conf", "./usr/", "./usr/tool", "./usr/tool2");
        assertThat(changes.removals()).isEmpty();
    }

    @Test
    void noChangeMeansNothingToDo() throws IOException {
        assertThat(changes(base).isEmpty()).isTrue();
    }

    private DiskChanges changes(ObjectId next) throws IOException {
        return new DiskChanges(new TreeDiff(store).diff(base, next));
    }

    private List<String> tarNames(ObjectId root, DiskChanges changes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TarExporter(store).export(root, changes, out, Progress.none());
        List<String> names = new ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
