package io.dormant.library.maintenance;

import java.util.List;

/** What {@code store fsck} read and what it found wrong, each problem with a version and path that reach it. */
public record FsckResult(int versions, long objects, long bytes, List<Problem> problems) {

    public record Problem(String object, String version, String path, String kind, String fault) {
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
