package io.dormant.library.diff;

import java.util.List;

/** The changes between two trees, in canonical path order, and how many subtrees were compared. */
public record DiffResult(List<Change> changes, long treesRead) {
    public long count(Change.Status status) {
        return changes.stream().filter(c -> c.status() == status).count();
    }
}
