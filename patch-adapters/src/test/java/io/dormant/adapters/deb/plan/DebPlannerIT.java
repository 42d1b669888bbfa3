package io.dormant.adapters.deb.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DebPackageReader;
import io.dormant.adapters.deb.DebRelationGroup;
import io.dormant.adapters.deb.DpkgDatabase;
import io.dormant.adapters.deb.DpkgStatusEntry;
import io.dormant.adapters.deb.ImageFiles;
import io.dormant.adapters.deb.plan.PlannedPackage.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans real bookworm updates against a real debootstrapped bookworm tree: apt and its library
 * from bookworm-updates, liblzma5 from bookworm-security, gzip at the version the tree has, and
 * hello, which the tree does not have.
 */
class DebPlannerIT {

    static final Path BOOKWORM = Path.of("/var/cache/dormant-test/bookworm-minbase");

    @TempDir
    static Path work;

    private static List<DpkgStatusEntry> image;
    private static final Map<String, DebPackage> PATCHES = new TreeMap<>();

    @BeforeAll
    static void download() throws Exception {
        assumeTrue(Files.isRegularFile(BOOKWORM.resolve("var/lib/dpkg/status")), "needs the debootstrapped bookworm tree");
        assumeTrue(run("apt-get", "download", "apt", "libapt-pkg6.0", "liblzma5", "gzip", "hello") == 0,
                "needs apt-get download");
        image = new DpkgDatabase(ImageFiles.of(BOOKWORM)).status();
        try (var files = Files.list(work)) {
            for (Path deb : files.filter(p -> p.toString().endsWith(".deb")).toList()) {
                DebPackage patch = DebPackageReader.read(deb);
                PATCHES.put(patch.name(), patch);
            }
        }
        assumeTrue(PATCHES.get("apt").version().compareTo(installed("apt").version()) > 0
                && PATCHES.get("liblzma5").version().compareTo(installed("liblzma5").version()) > 0,
                "the archive has no newer apt and liblzma5 than the tree");
    }

    @Test
    void plansTheUpdatesDependenciesFirstAndSkipsWhatDoesNotApply() throws Exception {
        DebPlan plan = DebPlanner.plan(image, List.copyOf(PATCHES.values()), DebPlanOptions.DEFAULTS);

        // apt needs the new libapt-pkg6.0, which needs liblzma5: each comes before what depends on it.
        assertThat(plan.packages()).extracting(PlannedPackage::label, PlannedPackage::action, PlannedPackage::installedVersion)
                .containsExactly(
                        tuple("liblzma5:amd64", Action.UPGRADE, installed("liblzma5").version()),
                        tuple("libapt-pkg6.0:amd64", Action.UPGRADE, installed("libapt-pkg6.0").version()),
                        tuple("apt", Action.UPGRADE, installed("apt").version()));
        assertThat(plan.skipped()).extracting(s -> s.patch().name(), SkippedPatch::reason).containsExactly(
                tuple("gzip", "already installed at " + installed("gzip").version()),
                tuple("hello", "not installed in the image, and no planned package needs or recommends it"));
        assertThat(plan.notes()).isEmpty();
        assertThat(plan.describe()).startsWith("#  package").contains("upgrade").contains("gzip_");
    }

    @Test
    void refusesAptWithoutTheLibraryItNeeds() {
        DebPackage apt = PATCHES.get("apt");
        DebRelationGroup needsLibrary = apt.relations().depends().groups().stream()
                .filter(g -> g.alternatives().get(0).name().equals("libapt-pkg6.0")).findFirst().orElseThrow();
        assumeTrue(!needsLibrary.alternatives().get(0).acceptsVersion(installed("libapt-pkg6.0").version()),
                "this apt accepts the tree's libapt-pkg6.0");

        DebPlanRefusedException e = catchThrowableOfType(
                () -> DebPlanner.plan(image, List.of(apt, PATCHES.get("gzip")), DebPlanOptions.DEFAULTS),
                DebPlanRefusedException.class);

        assertThat(e.reasons()).containsExactly("apt " + apt.version() + " depends on " + needsLibrary.format()
                + ", but the image would have libapt-pkg6.0:amd64 " + installed("libapt-pkg6.0").version());
    }

    @Test
    void theTreeAsItIsHasNoProblemToNote() throws Exception {
        DebPlan plan = DebPlanner.plan(image, List.of(PATCHES.get("liblzma5")), DebPlanOptions.DEFAULTS);

        assertThat(plan.packages()).extracting(PlannedPackage::label).containsExactly("liblzma5:amd64");
        assertThat(plan.notes()).isEmpty();
    }

    private static DpkgStatusEntry installed(String name) {
        return image.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(args).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("command.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
