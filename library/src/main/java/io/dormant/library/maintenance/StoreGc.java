package io.dormant.library.maintenance;

import io.dormant.library.catalogue.ImageCatalogue;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.store.PruneResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code store gc}: deletes the objects no version reaches (left by failed or killed imports and by
 * discarded workspaces): object files one by one, packed objects by replacing each pack that holds
 * any with a pack of the rest ({@link ContentStore#prune}). It runs only while no writer holds the
 * store, so an object that a running import is about to name is never deleted.
 */
public final class StoreGc {

    private final ContentStore store;
    private final ImageCatalogue catalogue;

    public StoreGc(ContentStore store, ImageCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    public GcResult run() {
        StoreLock.Lease lease = StoreLock.of(store.root()).tryExclusive().orElseThrow(() -> new IllegalStateException(
                "an import or check-in is writing to the store now; run 'dormant store gc' again when it has finished"));
        try (lease) {
            Map<ObjectId, ReachableObjects.Origin> reachable = StoreFsck.reachableFrom(store, catalogue);
            PruneResult pruned = store.prune(reachable::containsKey);
            return new GcResult(reachable.size(), pruned.objectsRemoved(), pruned.bytesFreed(), pruned.packsDeleted());
        } catch (IOException e) {
            throw new UncheckedIOException("store gc failed in " + store.root() + ": " + e.getMessage(), e);
        }
    }
}
