package io.dormant.library.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path dir;
    ContentStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = ContentStore.open(dir.resolve("store"));
    }

    @Test
    void storesUnderTheSha256AndReadsBack() throws IOException {
        byte[] data = "hello dormant\n".getBytes();
        StoredBlob b = store.putBlob(new ByteArrayInputStream(data));

        assertThat(b.id()).isEqualTo(ObjectId.hash(data));
        assertThat(b.isNew()).isTrue();
        assertThat(store.read(b.id(), 100)).isEqualTo(data);
        assertThat(store.size(b.id())).isEqualTo(data.length);
        try (InputStream in = store.open(b.id())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void aLargeBlobGetsItsOwnFileWhenSyncHasMadeItDurable() throws IOException {
        byte[] data = random(ContentStore.PACK_LIMIT + 1, 1);
        ObjectId id = store.putBlob(new ByteArrayInputStream(data)).id();
        Path file = store.root().resolve("objects").resolve(id.hex().substring(0, 2)).resolve(id.hex().substring(2));

        assertThat(file).doesNotExist();
        assertThat(store.read(id, data.length)).isEqualTo(data);
        store.sync();

        assertThat(file).exists();
        assertThat(store.pathOf(id)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void secondPutOfTheSameContentIsDeduplicatedAndCounted() throws IOException {
        Path host = Files.write(dir.resolve("file"), new byte[10_000]);
        StoredBlob first = store.putBlob(host);
        StoreStats before = store.stats();
        StoredBlob second = store.putBlob(new ByteArrayInputStream(new byte[10_000]));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.isNew()).isFalse();
        assertThat(store.stats().minus(before)).isEqualTo(new StoreStats(0, 0, 1, 10_000));
        assertThat(tempFiles()).isZero();
    }

    @Test
    void concurrentPutsOfTheSameContentBothSucceedWithOneObject() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        int writers = 2;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 10; round++) {
                data[0] = (byte) round;
                List<Future<StoredBlob>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    results.add(pool.submit((Callable<StoredBlob>) () -> {
                        start.await();
                        return store.putBlob(new ByteArrayInputStream(data));
                    }));
                }
                ObjectId expected = ObjectId.hash(data);
                for (Future<StoredBlob> f : results) {
                    assertThat(f.get().id()).isEqualTo(expected);
                }
                assertThat(store.read(expected, data.length)).isEqualTo(data);
            }
        } finally {
            pool.shutdownNow();
        }
        List<ObjectId> all = new ArrayList<>();
        store.forEachObject(all::add);
        assertThat(all).hasSize(10);
        assertThat(tempFiles()).isZero();
    }

    @Test
    void treesAreObjectsToo() throws IOException {
        byte[] tree = {1, 2, 3};
        ObjectId id = store.putTree(tree);
        assertThat(id).isEqualTo(ObjectId.hash(tree));
        assertThat(store.putTree(tree)).isEqualTo(id);
        assertThat(store.stats().objectsDeduplicated()).isEqualTo(1);
    }

    @Test
    void deleteAndListForGc() throws IOException {
        ObjectId small = store.putBlob(new ByteArrayInputStream("a".getBytes())).id();
        ObjectId large = store.putBlob(new ByteArrayInputStream(random(ContentStore.PACK_LIMIT * 2, 2))).id();
        store.sync();
        Files.writeString(store.root().resolve("objects/00/not-an-object"), "stray");
        List<ObjectId> all = new ArrayList<>();
        store.forEachObject(all::add);
        assertThat(all).containsExactlyInAnyOrder(small, large);

        assertThat(store.delete(large)).isTrue();
        assertThat(store.delete(small)).as("a packed object goes with prune, not one by one").isFalse();
        assertThat(store.has(large)).isFalse();
        assertThatThrownBy(() -> store.open(large)).isInstanceOf(MissingObjectException.class)
                .hasMessageContaining("object " + large.hex() + " is not in the store");
    }

    @Test
    void readRefusesAnObjectOverTheLimitBeforeReadingIt() throws IOException {
        ObjectId id = store.putBlob(new ByteArrayInputStream(new byte[1000])).id();
        assertThatThrownBy(() -> store.read(id, 999)).hasMessage("object " + id.hex() + " is 1000 bytes, more than the limit of 999");
    }

    @Test
    void syncIsABarrierThatReturns() throws IOException {
        store.putBlob(new ByteArrayInputStream("durable".getBytes()));
        store.sync();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private long tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(store.root().resolve("tmp"))) {
            return s.count();
        }
    }
}
