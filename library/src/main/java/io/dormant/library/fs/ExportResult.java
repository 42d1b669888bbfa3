package io.dormant.library.fs;

import java.time.Duration;

/** What an export wrote. */
public record ExportResult(long files, long directories, long otherEntries, long bytes, Duration duration) {
}
