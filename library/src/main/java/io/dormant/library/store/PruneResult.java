package io.dormant.library.store;

/**
 * What {@link ContentStore#prune} removed: objects and their bytes, and how many packs it
 * replaced by new ones (rewritten) or deleted (all their objects were gone, or a crash had left
 * them without an index).
 */
public record PruneResult(long objectsRemoved, long bytesFreed, int packsRewritten, int packsDeleted) {
    PruneResult plus(PruneResult other) {
        return new PruneResult(objectsRemoved + other.objectsRemoved, bytesFreed + other.bytesFreed,
                packsRewritten + other.packsRewritten, packsDeleted + other.packsDeleted);
    }
}
