package io.dormant.library.fs;

import io.dormant.library.store.ObjectId;
import java.time.Duration;

/**
 * What an import did: the root tree id, what it found, how many file contents it actually read
 * (the rest came from the stat cache), and how many bytes were new to the store.
 */
public record ImportResult(ObjectId root, long files, long directories, long otherEntries, long bytes,
                           long filesHashed, long bytesHashed, long newObjects, long newBytes, Duration duration) {
}
