package io.dormant.library.maintenance;

/** What {@code store gc} kept and removed. */
public record GcResult(long objectsKept, long objectsRemoved, long bytesFreed) {
}
