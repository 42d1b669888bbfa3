package io.dormant.adapters.inventory;

import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.deb.Inventory;
import io.dormant.library.catalogue.InstalledPackage;
import io.dormant.library.images.InventoryReader;
import io.dormant.library.workspace.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The installed packages of an image, from every package database it has: dpkg's status file now;
 * the rpm database and the Windows installer registry when their adapters arrive.
 */
public final class PackageInventoryReader implements InventoryReader {

    static final String DPKG_STATUS = "/var/lib/dpkg/status";

    @Override
    public List<InstalledPackage> read(Workspace image) throws IOException {
        List<InstalledPackage> packages = new ArrayList<>();
        if (image.exists(DPKG_STATUS)) {
            Inventory inventory = new DpkgDatabase(ImageFiles.of(image)).inventory();
            for (Inventory.Item item : inventory.items()) {
                packages.add(new InstalledPackage("deb", item.name(), item.version().toString(), item.architecture(),
                        item.status().format()));
            }
        }
        return packages;
    }
}
