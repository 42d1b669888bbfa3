package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A Python module package as dh_python3 builds one (its postinst runs {@code py3compile -p}, its
 * prerm {@code py3clean -p}), made with dpkg-deb and installed by dpkg into a copy of an image.
 */
public final class PythonModulePackage {

    public static final String NAME = "python3-dormant-probe";
    public static final String SITE = "/usr/lib/python3/dist-packages";
    public static final List<String> MODULES = List.of("dormant_probe/__init__.py", "dormant_probe/mod.py",
            "dormant_probe/sub/__init__.py", "dormant_probe/sub/deep.py", "dormant_lone.py");
    public static final String POSTINST = "/var/lib/dpkg/info/" + NAME + ".postinst";

    private PythonModulePackage() {
    }

    /** Builds the package in {@code build} and installs it into {@code root} (its postinst compiles it). */
    public static void install(Path root, Path build) throws Exception {
        write(build.resolve("DEBIAN/control"), """
                Package: %s
                Version: 1.0
                Architecture: all
                Maintainer: Dormant tests <tests@dormant.invalid>
                Depends: python3
                Description: a Python module package for Dormant's tests
                """.formatted(NAME), false);
        write(build.resolve("DEBIAN/postinst"), """
                #!/bin/sh
                set -e

                # Automatically added by dh_python3
                if command -v py3compile >/dev/null 2>&1; then
                \tpy3compile -p %s\s
                fi
                if command -v pypy3compile >/dev/null 2>&1; then
                \tpypy3compile -p %1$s  || true
                fi

                # End automatically added section
                """.formatted(NAME), true);
        write(build.resolve("DEBIAN/prerm"), prerm(NAME), true);
        for (String module : MODULES) {
            write(build.resolve(SITE.substring(1) + "/" + module), "VALUE = '" + module + "'\n", false);
        }
        run("dpkg-deb", "--root-owner-group", "--build", build.toString(), root.resolve("tmp/probe.deb").toString());
        run("chroot", root.toString(), "dpkg", "-i", "/tmp/probe.deb");
        Files.delete(root.resolve("tmp/probe.deb"));
    }

    /** dh_python3's prerm for {@code argument} (the package name, or NAME:ARCH). */
    public static String prerm(String argument) {
        return """
                #!/bin/sh
                set -e

                # Automatically added by dh_python3
                if command -v py3clean >/dev/null 2>&1; then
                \tpy3clean -p %1$s\s
                else
                \tdpkg -L %1$s | sed -En -e '/^(.*)\\/(.+)\\.py$/s,,rm "\\1/__pycache__/\\2".*,e'
                \tfind /usr/lib/python3/dist-packages/ -type d -name __pycache__ -empty -print0 | xargs --null --no-run-if-empty rmdir
                fi

                # End automatically added section
                """.formatted(argument);
    }

    private static void write(Path file, String text, boolean executable) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static void run(String... command) throws Exception {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }
}
