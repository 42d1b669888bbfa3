package io.dormant.library.workspace;

import static io.dormant.library.workspace.TestImages.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.diff.Change;
import io.dormant.library.diff.TreeDiff;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.StoreStats;
import io.dormant.library.store.StoredBlob;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.TreeEntry;
import io.dormant.library.tree.Trees;
import io.dormant.library.workspace.WorkspaceException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    @TempDir
    Path dir;
    ContentStore store;
    ObjectId base;
    Workspace ws;

    @BeforeEach
    void setUp() throws IOException {
        store = ContentStore.open(dir.resolve("store"));
        base = TestImages.small(store);
        ws = Workspace.open(store, base);
    }

    @Test
    void openingReadsNothing() {
        // A root id that is not in the store: opening must not notice, because it reads nothing.
        Workspace lazy = Workspace.open(store, ObjectId.hash(b("no such tree")));
        assertThat(lazy.base()).isEqualTo(ObjectId.hash(b("no such tree")));
        assertThatThrownBy(() -> lazy.list("/")).hasMessageContaining("is not in the store");
    }

    @Test
    void readsFollowSymlinksInsideTheImage() throws IOException {
        assertThat(text("/bin/ls")).isEqualTo("ELF ls\n");
        assertThat(text("/etc/up")).as("'..' at the root stays at the root").startsWith("root:x:0:0");
        assertThat(text("/usr/bin/../../etc/passwd")).startsWith("root:x");
        assertThat(ws.lstat("/bin").type()).isEqualTo(EntryType.SYMLINK);
        assertThat(ws.stat("/bin").type()).isEqualTo(EntryType.DIRECTORY);
    }

    @Test
    void hostileSymlinkResolvesInsideTheImageNeverOnTheHost() throws IOException {
        assertThatThrownBy(() -> ws.read("/etc/x")).isInstanceOf(WorkspaceException.class)
                .hasMessage("/etc/x: '/host' does not exist")
                .extracting(e -> ((WorkspaceException) e).reason()).isEqualTo(Reason.NO_SUCH_ENTRY);

        ws.write("/etc/x", new ByteArrayInputStream(b("written through a dangling link")));
        ws.mkdir("/etc/x-dir", 0755);
        ws.symlink("/etc/y", "/../../../etc/x-dir");
        ws.write("/etc/y/evil", new ByteArrayInputStream(b("stays in the image")));

        assertThat(text("/host")).isEqualTo("written through a dangling link");
        assertThat(text("/etc/x-dir/evil")).isEqualTo("stays in the image");
        assertThat(Files.exists(Path.of("/host"))).isFalse();
        assertThat(Files.exists(Path.of("/etc/x-dir"))).isFalse();
    }

    @Test
    void symlinkLoopsStopAfterForty() {
        assertThatThrownBy(() -> ws.read("/etc/loop1")).isInstanceOf(WorkspaceException.class)
                .hasMessage("/etc/loop1: more than 40 symlinks; a loop");
    }

    @Test
    void commitWritesOnlyTheChangedTreesUpToTheRoot() throws IOException {
        StoreStats before = store.stats();
        ws.write("/etc/passwd", new ByteArrayInputStream(b("root:x:0:0::/root:/bin/bash\n")));
        ObjectId next = ws.commit();

        StoreStats added = store.stats().minus(before);
        assertThat(added.objectsWritten()).as("one blob, the /etc tree and the root tree").isEqualTo(3);
        assertThat(child(next, "usr")).isEqualTo(child(base, "usr"));
        assertThat(child(next, "etc")).isNotEqualTo(child(base, "etc"));
        assertThat(new TreeDiff(store).diff(base, next).changes()).extracting(Change::toString)
                .containsExactly("CHANGED /etc/passwd [CONTENT, MTIME]");
        assertThat(Files.list(store.root().resolve("staging")).count()).isZero();
    }

    @Test
    void aWorkspaceStagedOnAnotherFileSystemChecksInTheSameObjects() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "staging-") : dir.resolve("elsewhere");
        try {
            Workspace elsewhere = Workspace.open(store, base, parent);
            byte[] large = new byte[ContentStore.PACK_LIMIT * 2 + 7];
            new java.util.Random(3).nextBytes(large);
            Metadata meta = Metadata.of(0644, 0, 0, 1_600_000_000, 0);
            elsewhere.write("/etc/small", new ByteArrayInputStream(b("small\n")), meta);
            elsewhere.write("/etc/large", new ByteArrayInputStream(large), meta);
            ws.write("/etc/small", new ByteArrayInputStream(b("small\n")), meta);
            ws.write("/etc/large", new ByteArrayInputStream(large), meta);

            ObjectId there = elsewhere.commit();

            assertThat(there).isEqualTo(ws.commit());
            assertThat(ContentStore.open(store.root()).read(ws.stat("/etc/large").content(), large.length)).isEqualTo(large);
            try (Stream<Path> left = Files.list(parent)) {
                assertThat(left).as("the staging directory is gone after check-in").isEmpty();
            }
        } finally {
            io.dormant.library.fs.HostTrees.removeQuietly(parent);
        }
    }

    @Test
    void unchangedCommitGivesTheSameRoot() throws IOException {
        ws.read("/usr/bin/ls").close();
        assertThat(ws.commit()).isEqualTo(base);
    }

    @Test
    void discardLeavesNothing() throws IOException {
        List<ObjectId> objectsBefore = objects();
        ws.write("/etc/new", new ByteArrayInputStream(b("brand new content, never committed")));
        ws.mkdir("/opt", 0755);
        ws.delete("/usr/bin/ls");
        ws.discard();

        assertThat(objects()).isEqualTo(objectsBefore);
        assertThat(ws.exists("/etc/new")).isFalse();
        assertThat(ws.exists("/usr/bin/ls")).isTrue();
        assertThat(ws.commit()).isEqualTo(base);
        try (Stream<Path> staging = Files.list(store.root().resolve("staging"))) {
            assertThat(staging).isEmpty();
        }
    }

    @Test
    void everyOperationShowsInStatAndInTheDiff() throws IOException {
        ws.mkdir("/opt", Metadata.of(02755, 0, 50, 1_600_000_000, 1));
        ws.write("/opt/tool", new ByteArrayInputStream(b("#!/bin/sh\n")), Metadata.of(0755, 0, 0, 1_600_000_000, 2));
        ws.chmod("/opt/tool", 04755);
        ws.chown("/opt/tool", 0, 50);
        ws.setXattr("/opt/tool", "security.capability", new byte[] {1, 0, 0, 2});
        ws.setXattr("/opt/tool", "user.gone", b("x"));
        ws.removeXattr("/opt/tool", "user.gone");
        ws.setMtime("/opt/tool", 1_234_567_890, 123_456_789);
        ws.symlink("/opt/link", "tool");
        ws.setMtime("/opt/link", 1_111_111_111, 5);
        ws.rename("/etc/passwd", "/etc/passwd-");
        ws.delete("/dev/null");

        Stat tool = ws.stat("/opt/link");
        assertThat(tool.type()).isEqualTo(EntryType.FILE);
        assertThat(tool.meta()).isEqualTo(new Metadata(04755, 0, 50, 1_234_567_890, 123_456_789,
                new java.util.TreeMap<>(java.util.Map.of("security.capability", new byte[] {1, 0, 0, 2}))));
        assertThat(ws.lstat("/opt/link").meta().mtimeSeconds()).isEqualTo(1_111_111_111);
        assertThat(ws.stat("/opt").meta().mode()).isEqualTo(02755);
        assertThat(ws.list("/opt")).extracting(TreeEntry::nameString).containsExactly("link", "tool");
        assertThat(text("/etc/passwd-")).startsWith("root:x");

        ObjectId next = ws.commit();
        assertThat(new TreeDiff(store).diff(base, next).changes()).extracting(Change::toString).containsExactly(
                "REMOVED /dev/null", "REMOVED /etc/passwd", "ADDED /etc/passwd-", "ADDED /opt", "ADDED /opt/link", "ADDED /opt/tool");
    }

    @Test
    void deleteRefusesANonEmptyDirectoryAndRenameRefusesToMoveIntoItself() throws IOException {
        assertThatThrownBy(() -> ws.delete("/usr")).hasMessage("/usr: directory is not empty");
        assertThatThrownBy(() -> ws.rename("/usr", "/usr/bin/usr")).hasMessage("/usr/bin/usr: cannot move /usr into itself");
        assertThatThrownBy(() -> ws.mkdir("/etc", 0755)).hasMessage("/etc: already exists");
        ws.deleteRecursive("/usr");
        assertThat(ws.exists("/usr/bin/ls")).isFalse();
        assertThat(ws.exists("/bin/ls")).isFalse();
    }

    @Test
    void hardlinkGroupsStayCanonical() throws IOException {
        assertThat(text("/usr/bin/hl2")).isEqualTo("one inode\n");
        ws.write("/usr/bin/hl2", new ByteArrayInputStream(b("changed through the second name\n")));
        assertThat(text("/usr/bin/hl1")).as("one inode, two names").isEqualTo("changed through the second name\n");

        ws.delete("/usr/bin/hl1");
        assertThat(ws.lstat("/usr/bin/hl2").type()).isEqualTo(EntryType.FILE);
        assertThat(entry(ws.commit(), "usr", "bin", "hl2").type()).isEqualTo(EntryType.FILE);

        ws.hardlink("/a-first", "/usr/bin/hl2");
        ObjectId next = ws.commit();
        assertThat(entry(next, "a-first").type()).as("canonically first name holds the inode").isEqualTo(EntryType.FILE);
        TreeEntry second = entry(next, "usr", "bin", "hl2");
        assertThat(second.type()).isEqualTo(EntryType.HARDLINK);
        assertThat(new String(second.target(), StandardCharsets.UTF_8)).isEqualTo("a-first");

        ws.rename("/a-first", "/zz-last");
        ObjectId renamed = ws.commit();
        assertThat(entry(renamed, "usr", "bin", "hl2").type()).isEqualTo(EntryType.FILE);
        assertThat(new String(entry(renamed, "zz-last").target(), StandardCharsets.UTF_8)).isEqualTo("usr/bin/hl2");
    }

    @Test
    void replacingWithAFileEndsAsDeletingAndWritingWould() throws IOException {
        Metadata meta = Metadata.of(0755, 0, 0, 1_700_000_123, 0);
        // A plain file, each name of a hardlink group, a symlink, a special file, a subtree, nothing.
        List<String> paths = List.of("/usr/bin/ls", "/usr/bin/hl1", "/usr/bin/hl2", "/etc/x", "/dev/null", "/etc", "/new");
        for (String path : paths) {
            Workspace replaced = Workspace.open(store, base);
            Workspace reference = Workspace.open(store, base);
            StoredBlob blob = replaced.store(Files.writeString(dir.resolve("content"), "new content of " + path + "\n"));
            replaced.replaceWithFile(path, blob, meta);
            if (reference.exists(path)) {
                reference.deleteRecursive(path);
            }
            reference.write(path, reference.store(dir.resolve("content")), meta);
            assertThat(replaced.commit()).as(path).isEqualTo(reference.commit());
        }
        Workspace ws2 = Workspace.open(store, base);
        ws2.replaceWithFile("/usr/bin/hl1", ws2.store(dir.resolve("content")), meta);
        assertThat(new String(ws2.readAllBytes("/usr/bin/hl2"), StandardCharsets.UTF_8))
                .as("the other name keeps the old inode").isEqualTo("one inode\n");
        assertThatThrownBy(() -> ws2.replaceWithFile("/", ws2.store(dir.resolve("content")), meta))
                .hasMessageContaining("cannot be replaced");
    }

    private String text(String path) throws IOException {
        return new String(ws.readAllBytes(path), StandardCharsets.UTF_8);
    }

    private ObjectId child(ObjectId root, String name) throws IOException {
        return entry(root, name).child();
    }

    private TreeEntry entry(ObjectId root, String... names) throws IOException {
        Tree t = Trees.load(store, root);
        TreeEntry e = null;
        for (String n : names) {
            e = t.get(b(n));
            if (e.type() == EntryType.DIRECTORY) {
                t = Trees.load(store, e.child());
            }
        }
        return e;
    }

    private List<ObjectId> objects() throws IOException {
        List<ObjectId> ids = new ArrayList<>();
        store.forEachObject(ids::add);
        ids.sort(null);
        return ids;
    }
}
