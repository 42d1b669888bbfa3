package io.dormant.adapters.deb;

import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a .deb into a {@link DebPackage}: the adapter's "read" step. It parses and validates the
 * control archive and hashes the file; it has no side effects and does not unpack the payload.
 */
public final class DebPackageReader {

    private DebPackageReader() {
    }

    public static DebPackage read(Path deb) throws IOException {
        return read(deb, DebLimits.DEFAULT);
    }

    /**
     * @throws DebFormatException naming the file, the member and the problem, for anything dpkg
     *                            would refuse (and a few things Dormant refuses for safety)
     * @throws io.dormant.library.tar.LimitExceededException when a declared size is over a limit
     */
    public static DebPackage read(Path deb, DebLimits limits) throws IOException {
        DebArchiveReader archive = DebArchiveReader.open(deb, limits);
        Map<String, byte[]> files = archive.readControlFiles();
        String file = deb.getFileName().toString();
        String member = archive.controlMember();
        try {
            return build(files, sha256(deb), Files.size(deb));
        } catch (DebControlException e) {
            throw DebFormatException.inside(file, member, e.getMessage(), e);
        }
    }

    private static DebPackage build(Map<String, byte[]> files, String sha256, long size) throws DebControlException {
        byte[] controlBytes = files.get("control");
        if (controlBytes == null) {
            throw new DebControlException("entry 'control'", "missing; every control archive has one");
        }
        String source = "entry 'control'";
        DebControl control = DebControl.parse(text(controlBytes, source), source);
        String name = required(control, "Package", source);
        DebianVersion version;
        try {
            version = DebianVersion.parseLenient(required(control, "Version", source));
        } catch (DebianVersionSyntaxException e) {
            throw new DebControlException(source, "field 'Version': " + e.getMessage());
        }
        String architecture = required(control, "Architecture", source);
        String multiArch = multiArch(control, architecture, source);
        DebPackageRelations relations;
        try {
            relations = DebPackageRelations.of(control);
            DebRelationParser.checkName("Package", name);
        } catch (IllegalArgumentException e) {
            throw new DebControlException(source, e.getMessage());
        }
        List<DebConffile> conffiles = files.containsKey("conffiles")
                ? DebConffile.parsePackageList(text(files.get("conffiles"), "entry 'conffiles'"), "entry 'conffiles'")
                : List.of();
        Map<String, String> md5sums = files.containsKey("md5sums")
                ? DebMd5sums.parse(text(files.get("md5sums"), "entry 'md5sums'"), "entry 'md5sums'")
                : Map.of();
        DebTriggers triggers = files.containsKey("triggers")
                ? DebTriggers.parse(text(files.get("triggers"), "entry 'triggers'"), "entry 'triggers'")
                : DebTriggers.NONE;
        Map<String, byte[]> scripts = new LinkedHashMap<>();
        for (String script : DebPackage.SCRIPT_NAMES) {
            if (files.containsKey(script)) {
                scripts.put(script, files.get(script));
            }
        }
        return new DebPackage(name, version, architecture, multiArch, control, relations, conffiles, md5sums, scripts,
                triggers, files, sha256, size);
    }

    private static String required(DebControl control, String field, String source) throws DebControlException {
        String value = control.value(field).orElse("");
        if (value.isEmpty()) {
            throw new DebControlException(source, "missing '" + field + "' field");
        }
        return value;
    }

    private static String multiArch(DebControl control, String architecture, String source) throws DebControlException {
        String value = control.value("Multi-Arch").orElse("no").toLowerCase();
        if (!List.of("no", "same", "foreign", "allowed").contains(value)) {
            throw new DebControlException(source, "field 'Multi-Arch' is '" + value + "'; it must be no, same, foreign or allowed");
        }
        if (value.equals("same") && architecture.equals("all")) {
            throw new DebControlException(source, "package has field 'Multi-Arch: same' but is architecture all");
        }
        return value;
    }

    /** Control files are UTF-8 by Debian Policy; anything else is refused rather than guessed at. */
    static String text(byte[] bytes, String source) throws DebControlException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DebControlException(source, "not valid UTF-8 text");
        }
    }

    private static String sha256(Path file) throws IOException {
        return ObjectId.hashFile(file).hex();
    }
}
