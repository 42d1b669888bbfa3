package io.dormant.library.store;

import java.nio.file.Path;

/**
 * Where an object's bytes are on the host: a file of its own ({@code offset} 0) or a range of a
 * pack file. For fsck reports and for tests that damage a store on purpose; readers use
 * {@link ObjectStore#open}.
 */
public record ObjectLocation(Path file, long offset, long length) {
}
