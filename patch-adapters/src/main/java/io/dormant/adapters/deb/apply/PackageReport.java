package io.dormant.adapters.deb.apply;

import java.util.List;

/**
 * What applying one package did to the image. {@code filtered} are the package's paths that the
 * image's dpkg path filters ({@code path-exclude} in /etc/dpkg/dpkg.cfg.d) kept from being unpacked.
 */
public record PackageReport(String name, String architecture, String action, String fromVersion, String toVersion,
                            List<String> added, List<String> changed, List<String> removed,
                            List<String> conffilesKept, List<String> filtered, List<ScriptReport> scripts,
                            List<String> warnings) {
}
