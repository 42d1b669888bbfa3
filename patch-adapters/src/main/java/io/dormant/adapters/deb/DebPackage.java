package io.dormant.adapters.deb;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A patch in deb form: what its control archive says, parsed, plus the file's digest. The payload
 * is not held here; stream it with {@link DebArchiveReader#readData}.
 *
 * @param name          the Package field
 * @param version       the Version field
 * @param architecture  the Architecture field ("amd64", "all")
 * @param multiArch     the Multi-Arch field in lower case, "no" when absent
 * @param control       the control file as written, for the status paragraph and for fields not parsed here
 * @param relations     Depends, Pre-Depends, ... parsed
 * @param conffiles     from DEBIAN/conffiles, without hashes
 * @param md5sums       relative path ("usr/bin/hello") to md5, from DEBIAN/md5sums
 * @param scripts       maintainer scripts present, by name: preinst, postinst, prerm, postrm, config
 * @param triggers      from DEBIAN/triggers
 * @param controlFiles  every file of the control archive, raw (shlibs, symbols, templates, ... included)
 * @param sha256        hex SHA-256 of the package file
 * @param size          bytes of the package file
 */
public record DebPackage(String name, DebianVersion version, String architecture, String multiArch,
                         DebControl control, DebPackageRelations relations, List<DebConffile> conffiles,
                         Map<String, String> md5sums, Map<String, byte[]> scripts, DebTriggers triggers,
                         Map<String, byte[]> controlFiles, String sha256, long size) {

    /** The maintainer scripts dpkg runs, in the order of its documentation. */
    public static final List<String> SCRIPT_NAMES = List.of("preinst", "postinst", "prerm", "postrm", "config");

    public DebPackage {
        conffiles = List.copyOf(conffiles);
        md5sums = Map.copyOf(md5sums);
        scripts = Map.copyOf(scripts);
        controlFiles = Map.copyOf(controlFiles);
    }

    public Optional<byte[]> script(String scriptName) {
        return Optional.ofNullable(scripts.get(scriptName));
    }

    public Optional<byte[]> shlibs() {
        return Optional.ofNullable(controlFiles.get("shlibs"));
    }

    public Optional<byte[]> symbols() {
        return Optional.ofNullable(controlFiles.get("symbols"));
    }

    public Optional<byte[]> templates() {
        return Optional.ofNullable(controlFiles.get("templates"));
    }

    /** "name:arch" for Multi-Arch: same packages, whose info files dpkg names so; "name" otherwise. */
    public String infoName() {
        return multiArch.equals("same") ? name + ":" + architecture : name;
    }
}
