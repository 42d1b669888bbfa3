package io.dormant.library.store;

/**
 * What a store has been asked to hold since it was opened: bytes that were new and written, and
 * bytes that were already there, so a caller can say "stored no new blob bytes".
 */
public record StoreStats(long objectsWritten, long bytesWritten, long objectsDeduplicated, long bytesDeduplicated) {
    public StoreStats minus(StoreStats before) {
        return new StoreStats(objectsWritten - before.objectsWritten, bytesWritten - before.bytesWritten,
                objectsDeduplicated - before.objectsDeduplicated, bytesDeduplicated - before.bytesDeduplicated);
    }
}
