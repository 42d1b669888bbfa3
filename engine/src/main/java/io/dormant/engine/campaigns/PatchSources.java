package io.dormant.engine.campaigns;

import io.dormant.adapters.deb.DebianVersion;
import io.dormant.library.catalogue.InstalledPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Where a campaign's patches come from: a directory of package files, or a Debian repository from
 * which each image gets the newest version of each of its installed packages that is newer than
 * the one it has. A repository's index is read once per campaign run.
 */
@Component
public class PatchSources {

    private final Campaigns campaigns;
    private final Path downloads;
    private final Map<String, Map<String, List<DebianRepository.Offer>>> indexes = new ConcurrentHashMap<>();

    PatchSources(Campaigns campaigns, Path dormantHome) {
        this.campaigns = campaigns;
        this.downloads = dormantHome.resolve("cache").resolve("debs");
    }

    /** Checks a source as a campaign is created, so that a typo fails then and not at 3 a.m. */
    public static String validated(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a campaign needs a patch source: a directory of .deb files"
                    + " or 'deb URL SUITE [COMPONENT...]'");
        }
        if (DebianRepository.looksLikeRepository(source)) {
            return DebianRepository.parse(source).toString();
        }
        Path dir = Path.of(source).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the patch source " + dir + " is not a directory (or write a repository"
                    + " as 'deb URL SUITE [COMPONENT...]')");
        }
        return dir.toString();
    }

    /** The package files a campaign run offers to an image with this inventory. */
    public List<Path> candidatesFor(long campaignRunId, List<InstalledPackage> inventory) {
        String source = campaigns.ofRun(campaignRunId).patchSource();
        try {
            if (!DebianRepository.looksLikeRepository(source)) {
                return directory(Path.of(source));
            }
            DebianRepository repository = DebianRepository.parse(source);
            List<String> architectures = architectures(inventory);
            Map<String, List<DebianRepository.Offer>> index = indexes.computeIfAbsent(campaignRunId + " " + architectures, key -> {
                try {
                    return repository.index(architectures);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the index of " + repository + ": " + e.getMessage(), e);
                }
            });
            List<Path> files = new ArrayList<>();
            for (InstalledPackage installed : inventory) {
                DebianRepository.Offer newest = index.getOrDefault(installed.name(), List.of()).stream()
                        .filter(offer -> isUpgrade(installed, offer.name(), offer.architecture(), offer.version()))
                        .max(Comparator.comparing(DebianRepository.Offer::version)).orElse(null);
                if (newest != null) {
                    files.add(repository.download(newest, downloads));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the patches of " + source + ": " + e.getMessage(), e);
        }
    }

    /** Whether a package of this name, architecture and version upgrades the installed one. */
    public static boolean isUpgrade(InstalledPackage installed, String name, String architecture, DebianVersion version) {
        return "deb".equals(installed.format()) && installed.name().equals(name) && installed.status().endsWith(" installed")
                && (installed.architecture().equals(architecture) || "all".equals(architecture) || "all".equals(installed.architecture()))
                && DebianVersion.parseLenient(installed.version()).compareTo(version) < 0;
    }

    private static List<Path> directory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".deb")).sorted().toList();
        }
    }

    private static List<String> architectures(List<InstalledPackage> inventory) {
        List<String> archs = inventory.stream().map(InstalledPackage::architecture).filter(a -> !"all".equals(a))
                .distinct().sorted().toList();
        return archs.isEmpty() ? List.of("amd64") : archs;
    }

    /** Forgets a finished run's index. */
    public void forget(long campaignRunId) {
        indexes.keySet().removeIf(key -> key.startsWith(campaignRunId + " "));
    }
}
