package io.dormant.adapters.deb.apply;

import java.nio.file.Path;
import java.util.Map;

/**
 * The largest package of an apply, decompressed from the moment its file is read, while the
 * library checks the image out and the plan is made. xz decodes one archive on one core: a JDK's
 * or a kernel's takes seconds, and started with the others once the checkout is there, the unpack
 * waits for it. The other core stays with the checkout and the plan. The apply then goes on with
 * the same decoding ({@link DebApplier#apply(Path, io.dormant.adapters.deb.plan.DebPlan, Map, DecodeAhead)});
 * closing it unused stops it.
 */
public final class DecodeAhead implements AutoCloseable {

    /** Nothing started: the apply decodes every package itself. */
    public static final DecodeAhead NONE = new DecodeAhead(null);

    private DecompressedArchives started;

    private DecodeAhead(DecompressedArchives started) {
        this.started = started;
    }

    static DecodeAhead largestOf(Map<String, Path> files, long maxBytes, DecodedDataCache cache) {
        // With one core there is none to spare: the checkout and the plan come first.
        if (Runtime.getRuntime().availableProcessors() < 2 || files.size() < 2) {
            return NONE;
        }
        return new DecodeAhead(new DecompressedArchives(DecompressedArchives.largest(files), maxBytes, cache));
    }

    /** The decoding, handed over to the apply of {@code inOrder}; null when nothing was started. */
    DecompressedArchives takeFor(Map<String, Path> inOrder) {
        DecompressedArchives taken = started;
        started = null;
        return taken == null ? null : taken.andThen(inOrder);
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
            started = null;
        }
    }
}
