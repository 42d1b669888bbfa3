package io.dormant.library.store;

import java.io.IOException;
import java.io.InputStream;
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

    /** The host file holding the object, for callers that copy or reflink it; never write to it. */
    Path pathOf(ObjectId id) throws IOException;

    /** Totals since the store was opened. */
    StoreStats stats();
}
