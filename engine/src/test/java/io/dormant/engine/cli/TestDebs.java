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
        return build(directory, name, version, "all", fields, null, postinst,
                "usr/share/doc/" + name + "/README", "test package " + version + "\n");
    }

    /**
     * A package of any architecture with, when given, a triggers file, a postinst (after
     * {@code #!/bin/sh}) and one file of the given content.
     */
    static Path build(Path directory, String name, String version, String architecture, String fields, String triggers,
                      String postinst, String file, String content) throws Exception {
        Path root = directory.resolve("build-" + name + "-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: " + architecture + "\nMaintainer: Dormant tests <tests@dormant.invalid>\n" + fields
                + "Description: test package\n");
        if (triggers != null) {
            Files.writeString(root.resolve("DEBIAN/triggers"), triggers);
        }
        if (postinst != null) {
            Path script = root.resolve("DEBIAN/postinst");
            Files.writeString(script, "#!/bin/sh\n" + postinst);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (file != null) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), content);
        }
        Path deb = directory.resolve(name + "_" + version + "_" + architecture + ".deb");
        Commands.run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }
}
