package io.dormant.library.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.TreeWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDiffTest {
    static final Metadata M = Metadata.of(0644, 0, 0, 100, 0);

    @TempDir
    Path dir;
    ContentStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = ContentStore.open(dir.resolve("store"));
    }

    @Test
    void identicalRootsReadNothing() throws IOException {
        ObjectId a = new TreeWriter(store).write(image(false));
        DiffResult r = new TreeDiff(store).diff(a, a);
        assertThat(r.changes()).isEmpty();
        assertThat(r.treesRead()).isZero();
    }

    @Test
    void reportsEachKindAndWalksOnlyChangedSubtrees() throws IOException {
        ObjectId a = new TreeWriter(store).write(image(false));
        ObjectId b = new TreeWriter(store).write(image(true));
        DiffResult r = new TreeDiff(store).diff(a, b);

        assertThat(r.changes()).extracting(Change::toString).containsExactly(
                "CHANGED /etc [MTIME]",
                "CHANGED /etc/content [CONTENT]",
                "CHANGED /etc/link [TARGET]",
                "CHANGED /etc/mode [MODE]",
                "REMOVED /etc/old",
                "CHANGED /etc/owner [OWNER]",
                "CHANGED /etc/type [TYPE]",
                "REMOVED /etc/type/inner",
                "CHANGED /etc/xattr [XATTRS]",
                "ADDED /new",
                "ADDED /new/file");
        assertThat(r.treesRead()).as("root, etc and the two type-change/new dirs; never /big").isEqualTo(6);
        assertThat(r.changes().stream().filter(Change::isSubstantive).count()).isEqualTo(10);
    }

    private ImageNode image(boolean changed) throws IOException {
        ImageNode root = ImageNode.directory(M.withMode(0755));
        ImageNode etc = ImageNode.directory(changed ? M.withMode(0755).withMtime(200, 0) : M.withMode(0755));
        root.children().put(b("etc"), etc);
        ImageNode big = ImageNode.directory(M.withMode(0755));
        root.children().put(b("big"), big);
        for (int i = 0; i < 100; i++) {
            big.children().put(b("f" + i), file("same " + i, M));
        }
        etc.children().put(b("content"), file(changed ? "new" : "old", M));
        etc.children().put(b("mode"), file("x", changed ? M.withMode(0600) : M));
        etc.children().put(b("owner"), file("x", changed ? M.withOwner(1, 1) : M));
        etc.children().put(b("xattr"), file("x", changed ? M.withXattrs(new TreeMap<>(java.util.Map.of("user.a", b("1")))) : M));
        etc.children().put(b("link"), ImageNode.symlink(M, b(changed ? "b" : "a")));
        if (changed) {
            etc.children().put(b("type"), ImageNode.special(EntryType.FIFO, M, 0, 0));
            ImageNode n = ImageNode.directory(M);
            n.children().put(b("file"), file("new file", M));
            root.children().put(b("new"), n);
        } else {
            ImageNode t = ImageNode.directory(M);
            t.children().put(b("inner"), file("inner", M));
            etc.children().put(b("type"), t);
            etc.children().put(b("old"), file("old file", M));
        }
        return root;
    }

    private ImageNode file(String content, Metadata m) throws IOException {
        byte[] data = b(content);
        return ImageNode.file(m, data.length, store.putBlob(new ByteArrayInputStream(data)).id());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
