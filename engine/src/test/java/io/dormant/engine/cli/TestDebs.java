package io.dormant.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small real packages built with dpkg-deb for the command tests. */
final class TestDebs {

    private TestDebs() {
    }

    /** An Architecture: all package with one documentation file and, when given, a postinst. */
    static Path build(Path directory, String name, String version, String postinst) throws Exception {
        return build(directory, name, version, postinst, "");
    }

    /** @param fields more control fields, each line ending in a newline ("Recommends: x\n") */
    static Path build(Path directory, String name, String version, String postinst, String fields) throws Exception {
        Path root = directory.resolve("build-" + name + "-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/doc/" + name));
        Files.writeString(root.resolve("usr/share/doc/" + name + "/README"), "test package " + version + "\n");
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: Dormant tests <tests@dormant.invalid>\n" + fields
                + "Description: test package\n");
        if (postinst != null) {
            Path script = root.resolve("DEBIAN/postinst");
            Files.writeString(script, "#!/bin/sh\n" + postinst);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path deb = directory.resolve(name + "_" + version + "_all.deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }
}
