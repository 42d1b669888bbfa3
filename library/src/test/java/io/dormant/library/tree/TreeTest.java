package io.dormant.library.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.store.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TreeTest {
    static final Metadata META = new Metadata(04755, 0, 50, 1_700_000_000, 123_456_789,
            new TreeMap<>(java.util.Map.of("security.capability", new byte[] {1, 0, 0, 2}, "user.a", new byte[0])));
    static final ObjectId BLOB = ObjectId.hash(new byte[] {1});

    @Test
    void everyEntryTypeSurvivesEncodeAndDecode() throws Exception {
        Tree t = sample();
        Tree back = Tree.decode(t.encode(), null);
        assertThat(back).isEqualTo(t);
        assertThat(back.encode()).isEqualTo(t.encode());
    }

    @Test
    void encodingIsCanonicalWhateverTheInputOrder() {
        List<TreeEntry> entries = new java.util.ArrayList<>(sample().entries());
        java.util.Collections.reverse(entries);
        Tree reversed = new Tree(sample().self(), entries);
        assertThat(reversed.encode()).isEqualTo(sample().encode());
        assertThat(reversed.id()).isEqualTo(sample().id());
    }

    @Test
    void namesSortAsUnsignedBytes() {
        Tree t = new Tree(META, List.of(file(new byte[] {(byte) 0xe9}), file("Z".getBytes()), file("a".getBytes())));
        assertThat(t.entries()).extracting(e -> e.name()[0] & 0xff).containsExactly((int) 'Z', (int) 'a', 0xe9);
    }

    @Test
    void refusesBadNames() {
        assertThatThrownBy(() -> file("a/b".getBytes())).hasMessage("'/' in name");
        assertThatThrownBy(() -> file("..".getBytes())).hasMessage("name '.' or '..'");
        assertThatThrownBy(() -> file(new byte[] {'a', 0})).hasMessage("NUL byte in name");
        assertThatThrownBy(() -> new Tree(META, List.of(file("a".getBytes()), file("a".getBytes())))).hasMessage("two entries named a");
    }

    @Test
    void corruptTreesFailWithAMessage() {
        byte[] good = sample().encode();
        assertThatThrownBy(() -> Tree.decode(Arrays.copyOf(good, good.length - 5), null))
                .isInstanceOf(TreeFormatException.class).hasMessageContaining("in the middle of");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> Tree.decode(trailing, null)).hasMessageContaining("1 bytes after its last entry");
        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> Tree.decode(version, null)).hasMessageStartingWith("tree has format version 9");
    }

    @Test
    void hostileCountsAndLengthsDoNotAllocate() {
        // version, minimal self metadata, then a count of 2^62 entries.
        byte[] hostile = {1, 0, 0, 0, 0, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
        assertThatThrownBy(() -> Tree.decode(hostile, null)).isInstanceOf(TreeFormatException.class)
                .hasMessageContaining("declares 4611686018427387904 entries");
        // one entry whose name claims 2^31 bytes.
        byte[] longName = {1, 0, 0, 0, 0, 0, 0, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> Tree.decode(longName, null)).hasMessageContaining("entry name of 2147483648 bytes");
    }

    @Test
    void unsortedEntriesAreRefused() throws Exception {
        byte[] a = new Tree(META, List.of(file("a".getBytes()))).encode();
        byte[] b = new Tree(META, List.of(file("b".getBytes()))).encode();
        // Splice: a tree with two entries, b then a.
        byte[] header = Arrays.copyOf(a, a.length - entryLength(a));
        header[header.length - 1] = 2;
        byte[] spliced = concat(header, tail(b), tail(a));
        assertThatThrownBy(() -> Tree.decode(spliced, null)).hasMessageContaining("is not sorted or has a duplicate at entry 'a'");
    }

    private static int entryLength(byte[] oneEntryTree) {
        return oneEntryTree.length - headerLength();
    }

    private static int headerLength() {
        return new Tree(META, List.of()).encode().length;
    }

    private static byte[] tail(byte[] oneEntryTree) {
        return Arrays.copyOfRange(oneEntryTree, headerLength(), oneEntryTree.length);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static Tree sample() {
        Metadata plain = Metadata.of(0644, 1000, 1000, -5, 0);
        return new Tree(META, List.of(
                TreeEntry.file("file".getBytes(), META, 7, BLOB),
                TreeEntry.directory("dir".getBytes(), ObjectId.hash(new byte[] {2})),
                TreeEntry.symlink("link".getBytes(), plain, "../x".getBytes()),
                TreeEntry.hardlink("hard".getBytes(), "a/b/file".getBytes()),
                TreeEntry.special("null".getBytes(), EntryType.CHAR_DEVICE, plain, 1, 3),
                TreeEntry.special("sda".getBytes(), EntryType.BLOCK_DEVICE, plain, 8, 0x100000),
                TreeEntry.special("fifo".getBytes(), EntryType.FIFO, plain, 0, 0),
                TreeEntry.special("sock".getBytes(), EntryType.SOCKET, plain, 0, 0),
                TreeEntry.file(new byte[] {'c', 'a', 'f', (byte) 0xe9}, plain, 0, BLOB)));
    }

    static TreeEntry file(byte[] name) {
        return TreeEntry.file(name, META, 1, BLOB);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
