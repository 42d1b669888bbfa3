package io.dormant.library.store;

import java.io.IOException;
import java.nio.file.Path;

/** An object that a tree or caller names is not in the store: the store is incomplete or was pruned. */
public final class MissingObjectException extends IOException {
    public MissingObjectException(ObjectId id, Path store) {
        super("object " + id.hex() + " is not in the store at " + store + "; run fsck on the store");
    }
}
