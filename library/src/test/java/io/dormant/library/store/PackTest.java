package io.dormant.library.store;

import static io.dormant.library.store.ContentStoreTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small objects in packs: who sees them when, what a crash leaves, and what prune keeps. */
class PackTest {
    @TempDir
    Path dir;
    Path root;
    ContentStore store;

    @BeforeEach
    void setUp() throws IOException {
        root = dir.resolve("store");
        store = ContentStore.open(root);
    }

    @Test
    void objectsAreReadableByTheirWriterBeforeSyncAndByEveryoneAfter() throws IOException {
        byte[] small = "small file\n".getBytes();
        byte[] tree = {1, 0, 0};
        byte[] large = random(ContentStore.PACK_LIMIT + 10, 3);
        ObjectId s = store.putBlob(new ByteArrayInputStream(small)).id();
        ObjectId t = store.putTree(tree);
        ObjectId l = store.putBlob(new ByteArrayInputStream(large)).id();
        ContentStore other = ContentStore.open(root);

        for (ObjectId id : List.of(s, t, l)) {
            assertThat(store.has(id)).isTrue();
            assertThat(other.has(id)).as("not published yet").isFalse();
            assertThatThrownBy(() -> other.open(id)).isInstanceOf(MissingObjectException.class);
        }
        assertThat(store.read(s, 100)).isEqualTo(small);
        assertThat(store.read(t, 100)).isEqualTo(tree);
        assertThat(store.read(l, large.length)).isEqualTo(large);

        store.sync();

        for (ContentStore reader : List.of(store, other, ContentStore.open(root))) {
            assertThat(reader.has(s)).isTrue();
            assertThat(reader.read(s, 100)).isEqualTo(small);
            assertThat(reader.size(t)).isEqualTo(tree.length);
            try (InputStream in = reader.open(l)) {
                assertThat(in.readAllBytes()).isEqualTo(large);
            }
        }
        assertThat(packFiles(".idx")).hasSize(1);
        assertThat(packFiles(".session")).isEmpty();
    }

    @Test
    void aPackWithoutAnIndexIsInvisibleAndPruneRemovesItButNotALiveOne() throws IOException {
        ObjectId live = store.putBlob(new ByteArrayInputStream("still being written".getBytes())).id();
        // What a crash between writing a pack and publishing it leaves: a pack and a session directory.
        Path crashed = root.resolve("packs/0123456789abcdef0123456789abcdef.pack");
        Files.copy(packFiles(".pack").get(0), crashed);
        Files.createDirectories(root.resolve("packs/0123456789abcdef0123456789abcdef.session"));
        ContentStore other = ContentStore.open(root);
        assertThat(other.has(live)).isFalse();

        PruneResult pruned = other.prune(id -> true);

        assertThat(pruned.packsDeleted()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
        assertThat(root.resolve("packs/0123456789abcdef0123456789abcdef.session")).doesNotExist();
        assertThat(store.read(live, 100)).as("the live session's pack is kept").isEqualTo("still being written".getBytes());
        store.sync();
        assertThat(ContentStore.open(root).has(live)).isTrue();
    }

    @Test
    void pruneReplacesAPackByOneOfItsReachableObjectsByteIdentical() throws IOException {
        Map<ObjectId, byte[]> kept = new HashMap<>();
        Set<ObjectId> dropped = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            byte[] data = random(100 + i * 97, i);
            ObjectId id = store.putBlob(new ByteArrayInputStream(data)).id();
            if (i % 3 == 0) {
                dropped.add(id);
            } else {
                kept.put(id, data);
            }
        }
        store.sync();
        Path oldPack = packFiles(".pack").get(0);

        PruneResult pruned = store.prune(id -> !dropped.contains(id));

        assertThat(pruned.objectsRemoved()).isEqualTo(20);
        assertThat(pruned.packsRewritten()).isEqualTo(1);
        assertThat(oldPack).doesNotExist();
        assertThat(packFiles(".idx")).hasSize(1);
        for (ContentStore reader : List.of(store, ContentStore.open(root))) {
            for (Map.Entry<ObjectId, byte[]> e : kept.entrySet()) {
                assertThat(reader.read(e.getKey(), 1 << 20)).isEqualTo(e.getValue());
            }
            for (ObjectId id : dropped) {
                assertThat(reader.has(id)).isFalse();
            }
        }
        assertThat(store.verifyPacks()).isEmpty();
        assertThat(store.prune(id -> !dropped.contains(id)).packsRewritten()).as("nothing left to do").isZero();
    }

    @Test
    void pruneRefusesToCarryACorruptObjectIntoTheNewPack() throws IOException {
        ObjectId kept = store.putBlob(new ByteArrayInputStream("reachable".getBytes())).id();
        ObjectId garbage = store.putBlob(new ByteArrayInputStream("unreachable".getBytes())).id();
        store.sync();
        ObjectLocation where = store.locate(kept);
        try (FileChannel pack = FileChannel.open(where.file(), StandardOpenOption.WRITE)) {
            pack.write(java.nio.ByteBuffer.wrap("X".getBytes()), where.offset());
        }

        assertThatThrownBy(() -> store.prune(id -> !id.equals(garbage)))
                .hasMessageContaining("object " + kept.hex())
                .hasMessageContaining("is corrupt; gc stopped before removing anything");

        assertThat(where.file()).exists();
        assertThat(packFiles(".pack")).hasSize(1);
        assertThat(store.has(garbage)).isTrue();
    }

    @Test
    void smallPacksAreMergedByPrune() throws IOException {
        for (int i = 0; i < 3; i++) {
            store.putBlob(new ByteArrayInputStream(("check-in " + i).getBytes()));
            store.sync();
        }
        assertThat(packFiles(".idx")).hasSize(3);

        assertThat(store.prune(id -> true).packsRewritten()).isEqualTo(3);

        assertThat(packFiles(".idx")).hasSize(1);
        List<ObjectId> all = new ArrayList<>();
        ContentStore.open(root).forEachObject(all::add);
        assertThat(all).hasSize(3);
    }

    @Test
    void anInterruptedWriterDoesNotCloseThePackForTheOthers() throws Exception {
        ObjectId before = store.putBlob(new ByteArrayInputStream("before".getBytes())).id();
        Thread stopped = new Thread(() -> {
            // A failed import stops its workers with an interrupt, possibly in the middle of a write.
            Thread.currentThread().interrupt();
            try {
                store.putBlob(new ByteArrayInputStream("while interrupted".getBytes()));
            } catch (IOException e) {
                // an interrupted writer may fail; the others must not
            }
        });
        stopped.start();
        stopped.join();

        ObjectId after = store.putBlob(new ByteArrayInputStream("after".getBytes())).id();
        assertThat(store.read(before, 100)).isEqualTo("before".getBytes());
        store.sync();
        ContentStore reader = ContentStore.open(root);
        assertThat(reader.read(before, 100)).isEqualTo("before".getBytes());
        assertThat(reader.read(after, 100)).isEqualTo("after".getBytes());
    }

    @Test
    void twoStoresWritingAtOnceEachPublishTheirOwnPack() throws Exception {
        ContentStore second = ContentStore.open(root);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Map<ObjectId, byte[]>>> results = new ArrayList<>();
        try {
            for (ContentStore writer : List.of(store, second)) {
                results.add(pool.submit((Callable<Map<ObjectId, byte[]>>) () -> {
                    start.await();
                    Map<ObjectId, byte[]> written = new HashMap<>();
                    for (int i = 0; i < 300; i++) {
                        // Half the content is the same in both writers.
                        byte[] data = random(1 + i * 37, i % 2 == 0 ? i : i + (writer == store ? 1000 : 2000));
                        written.put(writer.putBlob(new ByteArrayInputStream(data)).id(), data);
                    }
                    writer.sync();
                    return written;
                }));
            }
            ContentStore reader = ContentStore.open(root);
            for (Future<Map<ObjectId, byte[]>> f : results) {
                for (Map.Entry<ObjectId, byte[]> e : f.get().entrySet()) {
                    assertThat(reader.read(e.getKey(), 1 << 20)).isEqualTo(e.getValue());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(packFiles(".idx")).hasSize(2);
        assertThat(store.verifyPacks()).isEmpty();
    }

    @Test
    void aCorruptPackIndexIsFoundByItsChecksum() throws IOException {
        ObjectId id = store.putBlob(new ByteArrayInputStream("indexed".getBytes())).id();
        store.sync();
        Path index = packFiles(".idx").get(0);
        byte[] bytes = Files.readAllBytes(index);
        bytes[16 + 1024 + 5] ^= 0x40; // inside the first id
        Files.write(index, bytes);

        ContentStore reader = ContentStore.open(root);
        List<ContentStore.PackProblem> problems = reader.verifyPacks();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.index()).isEqualTo(index);
            assertThat(p.fault()).contains("checksum does not match");
        });
        assertThat(reader.has(id)).isFalse();
    }

    @Test
    void aTruncatedPackMakesItsIndexDamaged() throws IOException {
        store.putBlob(new ByteArrayInputStream("soon cut off".getBytes()));
        store.sync();
        try (FileChannel pack = FileChannel.open(packFiles(".pack").get(0), StandardOpenOption.WRITE)) {
            pack.truncate(pack.size() - 1);
        }

        assertThat(ContentStore.open(root).verifyPacks()).singleElement()
                .satisfies(p -> assertThat(p.fault()).contains("the index says"));
    }

    @Test
    void adoptionFromStagingPublishesWithTheNextSync() throws IOException {
        ContentStore staging = ContentStore.openStaging(root.resolve("staging/ws"));
        byte[] small = "staged".getBytes();
        byte[] large = random(ContentStore.PACK_LIMIT * 3, 4);
        ObjectId s = staging.putBlob(new ByteArrayInputStream(small)).id();
        ObjectId l = staging.putBlob(new ByteArrayInputStream(large)).id();
        // Small objects share one pack file: no file of their own, which is what creating costs.
        assertThat(staging.locate(s).offset()).isPositive();
        assertThat(staging.locate(l).offset()).isZero();
        try (var files = Files.walk(root.resolve("staging/ws/objects"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }

        store.adopt(staging, s);
        store.adopt(staging, l);
        assertThat(ContentStore.open(root).has(s)).isFalse();
        store.sync();
        staging.discardStaging();
        try (var files = Files.walk(root.resolve("staging/ws"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }

        ContentStore reader = ContentStore.open(root);
        assertThat(reader.read(s, 100)).isEqualTo(small);
        assertThat(reader.read(l, large.length)).isEqualTo(large);
    }

    @Test
    void transferToCopiesPackedAndOwnFileObjects() throws IOException {
        byte[] small = "copy me".getBytes();
        byte[] large = random(ContentStore.PACK_LIMIT + 1, 5);
        ObjectId s = store.putBlob(new ByteArrayInputStream(small)).id();
        ObjectId l = store.putBlob(new ByteArrayInputStream(large)).id();
        for (boolean synced : new boolean[] {false, true}) {
            if (synced) {
                store.sync();
            }
            assertThat(copy(s)).isEqualTo(small);
            assertThat(copy(l)).isEqualTo(large);
        }
        assertThatThrownBy(() -> store.pathOf(s)).hasMessageContaining("read it through open()");
        assertThat(store.locate(s).file().getFileName().toString()).endsWith(".pack");
    }

    private byte[] copy(ObjectId id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(store.transferTo(id, Channels.newChannel(out))).isEqualTo(store.size(id));
        return out.toByteArray();
    }

    private List<Path> packFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("packs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
