package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;

/** Receives a deb's data archive entry by entry, in archive order, while it is streamed. */
@FunctionalInterface
public interface DebDataVisitor {

    /**
     * One entry. {@code content} holds a file's bytes and is valid only during this call; it is
     * empty for every other type. What the visitor does not read is skipped.
     */
    void entry(DebDataEntry entry, InputStream content) throws IOException;
}
