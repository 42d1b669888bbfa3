package io.dormant.library.tar;

/**
 * Upper bounds a tar import enforces before it allocates or reads, so that a hostile archive
 * fails with a message instead of filling the disk or the heap.
 */
public record TarLimits(long maxEntrySize, int maxPaxHeader, int maxLongName, long maxEntries) {
    /** Generous for any real image: 64 GiB per file, 1 MiB of PAX records, 64 KiB long names. */
    public static final TarLimits DEFAULT = new TarLimits(64L << 30, 1 << 20, 64 << 10, 50_000_000);

    public TarLimits withMaxEntrySize(long bytes) {
        return new TarLimits(bytes, maxPaxHeader, maxLongName, maxEntries);
    }
}
