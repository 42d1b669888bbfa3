package io.dormant.library.workspace;

import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.ImageNode;
import io.dormant.library.tree.Metadata;
import io.dormant.library.tree.TreeWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A small image with the shapes that matter: hostile and looping symlinks, a hardlink group, a device. */
final class TestImages {
    static final Metadata DIR = Metadata.of(0755, 0, 0, 1_700_000_000, 0);
    static final Metadata FILE = Metadata.of(0644, 0, 0, 1_700_000_000, 500);
    static final Metadata LINK = Metadata.of(0777, 0, 0, 1_700_000_000, 0);

    private TestImages() {
    }

    static ObjectId small(ContentStore store) throws IOException {
        ImageNode root = ImageNode.directory(DIR);
        ImageNode etc = dir(root, "etc");
        file(store, etc, "passwd", "root:x:0:0::/root:/bin/sh\n");
        link(etc, "x", "/../../host");
        link(etc, "up", "../../../etc/passwd");
        link(etc, "loop1", "loop2");
        link(etc, "loop2", "loop1");
        ImageNode usr = dir(root, "usr");
        ImageNode bin = dir(usr, "bin");
        file(store, bin, "ls", "ELF ls\n");
        ImageNode shared = file(store, bin, "hl1", "one inode\n");
        bin.children().put(b("hl2"), shared);
        link(root, "bin", "usr/bin");
        ImageNode dev = dir(root, "dev");
        dev.children().put(b("null"), ImageNode.special(EntryType.CHAR_DEVICE, Metadata.of(0666, 0, 0, 1_700_000_000, 0), 1, 3));
        return new TreeWriter(store).write(root);
    }

    static ImageNode dir(ImageNode parent, String name) {
        ImageNode d = ImageNode.directory(DIR);
        parent.children().put(b(name), d);
        return d;
    }

    static ImageNode file(ContentStore store, ImageNode parent, String name, String content) throws IOException {
        byte[] data = b(content);
        ImageNode f = ImageNode.file(FILE, data.length, store.putBlob(new ByteArrayInputStream(data)).id());
        parent.children().put(b(name), f);
        return f;
    }

    static void link(ImageNode parent, String name, String target) {
        parent.children().put(b(name), ImageNode.symlink(LINK, b(target)));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
