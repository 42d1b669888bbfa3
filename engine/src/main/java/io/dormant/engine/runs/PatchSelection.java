package io.dormant.engine.runs;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import io.dormant.engine.campaigns.PatchSources;
import io.dormant.library.catalogue.InstalledPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Which package files of a patch set concern an image, by its recorded inventory: those that
 * upgrade an installed package. Decided before anything is checked out, so that a campaign over
 * many images spends nothing on the ones a set does not touch.
 */
@Component
public class PatchSelection {

    private final PatchSources sources;

    PatchSelection(PatchSources sources) {
        this.sources = sources;
    }

    List<String> fromCampaignSource(long campaignRunId, List<InstalledPackage> inventory) {
        return sources.candidatesFor(campaignRunId, inventory).stream().map(Path::toString).toList();
    }

    List<String> upgrades(List<String> files, List<InstalledPackage> inventory) {
        List<String> upgrades = new ArrayList<>();
        for (String file : files) {
            DebPackage pkg;
            try {
                pkg = DebPackageReader.read(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the package file " + file + ": " + e.getMessage(), e);
            }
            if (inventory.stream().anyMatch(installed -> PatchSources.isUpgrade(installed, pkg.name(),
                    pkg.architecture(), pkg.version()))) {
                upgrades.add(file);
            }
        }
        return upgrades;
    }
}
