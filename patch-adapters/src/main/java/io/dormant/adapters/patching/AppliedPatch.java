package io.dormant.adapters.patching;

/**
 * One package file an apply used: what the audit trail records when its result becomes a version.
 * Plain values, so that a run waiting for an approval can keep them in the catalogue.
 */
public record AppliedPatch(String packageName, String version, String fromVersion, String sha256, String file) {
}
