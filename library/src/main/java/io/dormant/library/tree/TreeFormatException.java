package io.dormant.library.tree;

import java.io.IOException;

/** A tree object that is corrupt or hostile; says which tree and what is wrong with it. */
public final class TreeFormatException extends IOException {
    public TreeFormatException(String message) {
        super(message);
    }
}
