package io.dormant.library.workspace;

import io.dormant.library.diff.DiffResult;
import io.dormant.library.fs.ImportResult;

/** What ingest found in a materialized directory: the import (files read vs reused) and the changes. */
public record IngestResult(ImportResult imported, DiffResult changes) {
}
