package io.dormant.adapters.deb.apply;

import java.util.List;

/** What applying one package did to the image. */
public record PackageReport(String name, String architecture, String action, String fromVersion, String toVersion,
                            List<String> added, List<String> changed, List<String> removed,
                            List<String> conffilesKept, List<ScriptReport> scripts, List<String> warnings) {
}
