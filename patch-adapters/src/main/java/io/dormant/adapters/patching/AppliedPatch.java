package io.dormant.adapters.patching;

import io.dormant.library.catalogue.PatchFile;

/**
 * One package file an apply used: what the catalogue and the audit trail record when its result
 * becomes a version. Plain values, so that a run waiting for an approval can keep them.
 */
public record AppliedPatch(String packageName, String version, String fromVersion, String sha256, String file,
                           String architecture, long size) {

    PatchFile asPatchFile() {
        String name = packageName.contains(":") ? packageName.substring(0, packageName.indexOf(':')) : packageName;
        return new PatchFile(sha256, "deb", name, version, architecture, file, size);
    }
}
