package io.dormant.library.images;

import io.dormant.library.catalogue.InstalledPackage;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.util.List;

/**
 * Reads the installed packages of an image from its own package databases. The library does not
 * know package formats; the adapters do, and the caller hands their reader in.
 */
@FunctionalInterface
public interface InventoryReader {

    List<InstalledPackage> read(Workspace image) throws IOException;

    static InventoryReader none() {
        return image -> List.of();
    }
}
