package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DpkgDiversion;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The image's diversions by the path packages ship, as dpkg consults them when it unpacks and removes. */
final class Diversions {

    private final Map<String, DpkgDiversion> byPath;

    Diversions(List<DpkgDiversion> diversions) {
        this.byPath = diversions.stream().collect(Collectors.toMap(DpkgDiversion::from, d -> d, (a, b) -> a));
    }

    /**
     * Where a package's file at {@code path} is (dpkg's namenodetouse): where the diversion puts it,
     * unless there is none or the package made it itself.
     */
    String pathFor(String path, String packageName) {
        DpkgDiversion diversion = byPath.get(path);
        return diversion == null || packageName.equals(diversion.owner()) ? path : diversion.to();
    }

    /** The package diverts the path: its own file there is not another's. */
    boolean divertedBy(String path, String packageName) {
        DpkgDiversion diversion = byPath.get(path);
        return diversion != null && packageName.equals(diversion.owner());
    }
}
