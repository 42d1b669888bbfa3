package io.dormant.library.maintenance;

/**
 * What {@code store gc} kept and removed; {@code unfinishedPacks} are packs an interrupted import or
 * check-in left without an index, whose objects no version can name.
 */
public record GcResult(long objectsKept, long objectsRemoved, long bytesFreed, int unfinishedPacks) {
}
