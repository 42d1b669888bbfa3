package io.dormant.adapters.patching;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.apply.DebApplyReport;
import io.dormant.adapters.deb.apply.PackageReport;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one-line summary a patched version carries into `image versions` and the audit trail. */
class VersionSummaryTest {

    @Test
    void aFewPackagesAreAllNamed() {
        assertThat(ImagePatcher.summary(report(2, List.of())))
                .isEqualTo("patched with pkg1 1.1, pkg2 1.2");
    }

    @Test
    void aCampaignSetNamesTheFirstFewAndCountsTheRestAndTheDeferredSteps() {
        assertThat(ImagePatcher.summary(report(45, List.of("a\tpostinst configure\tsystemctl restart a.service"))))
                .isEqualTo("patched 45 packages: pkg1 1.1, pkg2 1.2, pkg3 1.3, pkg4 1.4 and 41 more; 1 step(s) deferred to first boot");
    }

    private static DebApplyReport report(int packages, List<String> deferred) {
        List<PackageReport> reports = IntStream.rangeClosed(1, packages).mapToObj(i -> new PackageReport("pkg" + i, "amd64",
                "upgrade", "1.0", "1." + i, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of())).toList();
        return new DebApplyReport(reports, List.of(), deferred, List.of(), List.of());
    }
}
