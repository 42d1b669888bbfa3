package io.dormant.library.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * What importers, exporters and workspaces need from a store of objects. The {@link ContentStore}
 * is the real one; a workspace puts a staging layer in front of it so that a discarded workspace
 * leaves nothing behind.
 */
public interface ObjectStore {
    /** Stores the stream's bytes as a blob and returns its id; the stream is read to its end. */
    StoredBlob putBlob(InputStream content) throws IOException;

    /** Stores a host file's content as a blob, reading it through without following a symlink. */
    StoredBlob putBlob(Path hostFile) throws IOException;

    /** Stores the encoded bytes of a tree. */
    ObjectId putTree(byte[] encoded) throws IOException;

    InputStream open(ObjectId id) throws IOException;

    /** The whole object, refusing one larger than {@code maxBytes} before reading it. */
    byte[] read(ObjectId id, int maxBytes) throws IOException;

    boolean has(ObjectId id);

    long size(ObjectId id) throws IOException;

    /**
     * The host file holding the object when it is a file of its own (a large blob); never write to
     * it. Most objects are kept in packs and have none: this then fails, and {@link #open} or
     * {@link #transferTo} is the way to their bytes.
     */
    Path pathOf(ObjectId id) throws IOException;

    /** Copies the object's bytes into {@code out}; returns how many. */
    default long transferTo(ObjectId id, WritableByteChannel out) throws IOException {
        try (InputStream in = open(id)) {
            return in.transferTo(Channels.newOutputStream(out));
        }
    }

    /** Totals since the store was opened. */
    StoreStats stats();
}
