package io.dormant.adapters.deb;

import io.dormant.library.tar.TarLimits;

/**
 * Upper bounds checked before anything is allocated, so that a hostile package fails with a
 * message instead of filling the heap. Control archives are read into memory, hence their own,
 * much smaller limits; data archives are only ever streamed.
 *
 * @param maxControlSize      bytes of the decompressed control.tar
 * @param maxControlEntrySize bytes of one file in the control archive (control, md5sums, scripts)
 * @param maxControlEntries   entries in the control archive
 * @param data                limits for the data.tar stream
 */
public record DebLimits(long maxControlSize, long maxControlEntrySize, int maxControlEntries, TarLimits data) {

    /** 64 MiB of control archive (the largest md5sums in Debian are a few MiB), 16 MiB per file. */
    public static final DebLimits DEFAULT = new DebLimits(64L << 20, 16L << 20, 10_000, TarLimits.DEFAULT);

    public DebLimits withMaxControlSize(long bytes) {
        return new DebLimits(bytes, Math.min(maxControlEntrySize, bytes), maxControlEntries, data);
    }

    public DebLimits withData(TarLimits newData) {
        return new DebLimits(maxControlSize, maxControlEntrySize, maxControlEntries, newData);
    }
}
