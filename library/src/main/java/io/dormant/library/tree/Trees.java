package io.dormant.library.tree;

import io.dormant.library.store.ObjectId;
import io.dormant.library.store.ObjectStore;
import java.io.IOException;

/** Reads tree objects from a store. */
public final class Trees {
    private Trees() {
    }

    public static Tree load(ObjectStore store, ObjectId id) throws IOException {
        return Tree.decode(store.read(id, Tree.MAX_ENCODED_BYTES), id);
    }
}
