package io.dormant.library.diff;

import java.util.List;

/** The changes between two trees, in canonical path order, and how many subtrees were compared. */
public record DiffResult(List<Change> changes, long treesRead) {
    public long count(Change.Status status) {
        return changes.stream().filter(c -> c.status() == status).count();
    }

    /** "12 added, 340 changed, 3 removed", the line a report shows. */
    public String summary() {
        return count(Change.Status.ADDED) + " added, " + count(Change.Status.CHANGED) + " changed, "
                + count(Change.Status.REMOVED) + " removed";
    }
}
