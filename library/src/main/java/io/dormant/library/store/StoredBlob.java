package io.dormant.library.store;

/** A blob just put into a store: its id, its size, and whether its bytes were new to the store. */
public record StoredBlob(ObjectId id, long size, boolean isNew) {
}
