package io.dormant.library.workspace;

import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import io.dormant.library.store.StoreStats;
import io.dormant.library.store.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's view of the store: reads fall through to the content store, writes land in a
 * private staging store under {@code <store>/staging/<id>} (one pack, and large blobs on the same
 * file system, so check-in copies the small ones and renames the large ones). Discarding deletes
 * the staging directory and leaves the store as it was.
 */
final class StagingStore implements ObjectStore {
    private final ContentStore main;
    private final Path dir;
    private ContentStore staging;

    StagingStore(ContentStore main) {
        this(main, main.root().resolve("staging"));
    }

    /** Stages under {@code parent}: on another file system, check-in copies large blobs instead of renaming them. */
    StagingStore(ContentStore main, Path parent) {
        this.main = main;
        this.dir = parent.resolve(UUID.randomUUID().toString());
    }

    private synchronized ContentStore staging() throws IOException {
        if (staging == null) {
            staging = ContentStore.openStaging(dir);
        }
        return staging;
    }

    @Override
    public StoredBlob putBlob(InputStream content) throws IOException {
        return staging().putBlob(content);
    }

    @Override
    public StoredBlob putBlob(Path hostFile) throws IOException {
        return staging().putBlob(hostFile);
    }

    @Override
    public ObjectId putTree(byte[] encoded) throws IOException {
        ObjectId id = ObjectId.hash(encoded);
        return main.has(id) ? id : staging().putTree(encoded);
    }

    @Override
    public InputStream open(ObjectId id) throws IOException {
        return staged(id) ? staging.open(id) : main.open(id);
    }

    @Override
    public byte[] read(ObjectId id, int maxBytes) throws IOException {
        return staged(id) ? staging.read(id, maxBytes) : main.read(id, maxBytes);
    }

    @Override
    public boolean has(ObjectId id) {
        return staged(id) || main.has(id);
    }

    @Override
    public long size(ObjectId id) throws IOException {
        return staged(id) ? staging.size(id) : main.size(id);
    }

    @Override
    public Path pathOf(ObjectId id) throws IOException {
        if (staged(id)) {
            return staging.pathOf(id);
        }
        return main.pathOf(id);
    }

    @Override
    public long transferTo(ObjectId id, WritableByteChannel out) throws IOException {
        return staged(id) ? staging.transferTo(id, out) : main.transferTo(id, out);
    }

    @Override
    public StoreStats stats() {
        return staging == null ? new StoreStats(0, 0, 0, 0) : staging.stats();
    }

    private boolean staged(ObjectId id) {
        return staging != null && staging.has(id);
    }

    /** Moves every staged object into the content store, then makes them durable. */
    void publish() throws IOException {
        if (staging != null) {
            List<ObjectId> ids = new ArrayList<>();
            staging.forEachObject(ids::add);
            for (ObjectId id : ids) {
                main.adopt(staging, id);
            }
        }
        main.sync();
        drop();
    }

    /** Forgets everything staged. */
    void drop() throws IOException {
        if (staging != null) {
            try {
                staging.discardStaging();
            } finally {
                staging = null;
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
