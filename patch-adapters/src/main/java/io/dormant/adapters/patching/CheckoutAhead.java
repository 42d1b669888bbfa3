package io.dormant.adapters.patching;

import io.dormant.adapters.confine.DataLayerProbe;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.images.ImageLibrary;
import io.dormant.library.progress.Progress;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The checkout of the version being patched, begun on a thread of its own when the apply starts:
 * it needs nothing that reading the package files and planning produce, and for an image not
 * checked out yet it takes about as long as both. Its progress is shown once the apply reaches
 * the checkout, so that it does not mix with the reading's.
 */
final class CheckoutAhead implements AutoCloseable {

    /**
     * A checkout: the tree, and the data-only layer its stubs read from (null when every file is
     * whole), to be mounted together.
     */
    record Checkout(Path tree, Path dataLayer) {
    }

    private final CompletableFuture<Checkout> checkout = new CompletableFuture<>();
    private final ShownLater progress = new ShownLater();

    private CheckoutAhead(ImageLibrary library, ImageVersion version, Path scratchParent) {
        Thread thread = new Thread(() -> {
            try {
                // Stubs where the kernel reads them: the checkout then writes the small files and
                // the metadata, not the bytes of every large file (a third of a Debian image's).
                checkout.complete(DataLayerProbe.works(scratchParent, System.getenv())
                        ? new Checkout(library.checkoutWithStubs(version, progress), library.dataLayer())
                        : new Checkout(library.checkout(version, progress), null));
            } catch (Throwable e) {
                checkout.completeExceptionally(e);
            }
        }, "checkout-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    static CheckoutAhead start(ImageLibrary library, ImageVersion version, Path scratchParent) {
        return new CheckoutAhead(library, version, scratchParent);
    }

    /** The checkout, once made; what is left of its progress goes to {@code shown}. */
    Checkout await(Progress shown) throws InterruptedIOException {
        progress.show(shown);
        try {
            return checkout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the image was checked out");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /**
     * Waits for a checkout the apply did not need (nothing to apply, or a refused plan): a process
     * that exits while it is written would leave a partial directory among the checkouts.
     */
    @Override
    public void close() {
        try {
            checkout.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // the apply did not use it; an error here is the next apply's to report
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("checkout failed: " + cause, cause);
    }

    /** A progress that keeps its counts until it is shown, then forwards them and all that follow. */
    private static final class ShownLater implements Progress {
        private Progress target;
        private long files;
        private long bytes;

        synchronized void show(Progress shown) {
            target = shown;
            if (files > 0 || bytes > 0) {
                shown.advance(files, bytes);
            }
        }

        @Override
        public synchronized void advance(long moreFiles, long moreBytes) {
            if (target != null) {
                target.advance(moreFiles, moreBytes);
            } else {
                files += moreFiles;
                bytes += moreBytes;
            }
        }
    }
}
