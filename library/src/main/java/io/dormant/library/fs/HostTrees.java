package io.dormant.library.fs;

import java.io.IOException;
import java.nio.file.Path;

/** Directory trees on the host that Dormant made for itself and throws away (partial checkouts, scratch). */
public final class HostTrees {

    private HostTrees() {
    }

    /**
     * Removes a throw-away tree, never crossing into a file system mounted below it (an overlay left
     * by a crash must not take its lower layer along). A leftover only costs space, so failures are
     * not errors.
     */
    public static void removeQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
        } catch (IOException e) {
            // left behind: costs space only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
