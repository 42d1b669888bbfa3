package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebArchiveReader;
import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebDataEntry;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgDiversion;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Unpacks a package's data archive into an image tree the way dpkg does: owners by name in the
 * image, modes and times from the archive, stat overrides and diversions honoured, existing
 * directories left as they are, and conffiles by dpkg's rules (a locally changed conffile is kept
 * and the package's version is written beside it as {@code .dpkg-dist}).
 */
final class DebUnpacker {

    private final RootedFiles image;
    private final ImageAccounts accounts;
    private final StatOverrides overrides;
    private final Map<String, DpkgDiversion> diversions;

    DebUnpacker(RootedFiles image, ImageAccounts accounts, StatOverrides overrides, List<DpkgDiversion> diversions) {
        this.image = image;
        this.accounts = accounts;
        this.overrides = overrides;
        this.diversions = diversions.stream().collect(Collectors.toMap(DpkgDiversion::from, Function.identity(), (a, b) -> a));
    }

    /**
     * @param previousConffiles the conffiles of the installed version, with the hashes dpkg recorded
     */
    UnpackResult unpack(Path debFile, Path extractedData, DebPackage pkg, List<DebConffile> previousConffiles)
            throws IOException {
        Map<String, String> recorded = previousConffiles.stream()
                .collect(Collectors.toMap(DebConffile::path, DebConffile::hash, (a, b) -> a));
        java.util.Set<String> conffiles = pkg.conffiles().stream().map(DebConffile::path).collect(Collectors.toSet());
        List<String> paths = new ArrayList<>();
        List<DebConffile> hashed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        DebArchiveReader.open(debFile).readData(extractedData, (entry, content) -> {
                String path = entry.path().isEmpty() ? "/." : "/" + entry.path();
                paths.add(path);
                if (entry.path().isEmpty()) {
                    return;
                }
                String target = divertedPath(path, pkg.name());
                Path host = image.resolve(target, entry.type() == DebDataEntry.Type.DIRECTORY);
                boolean existed = Files.exists(host, LinkOption.NOFOLLOW_LINKS);
                if (conffiles.contains(path) && entry.type() == DebDataEntry.Type.FILE) {
                    String shipped = placeConffile(entry, content, host, recorded.get(path), kept);
                    hashed.add(new DebConffile(path, shipped, false, false));
                } else {
                    place(entry, content, host, target, warnings);
                }
                if (entry.type() != DebDataEntry.Type.DIRECTORY) {
                    (existed ? changed : added).add(path);
                }
        });
        return new UnpackResult(paths, hashed, added, changed, kept, warnings);
    }

    private String divertedPath(String path, String packageName) {
        DpkgDiversion diversion = diversions.get(path);
        if (diversion == null || packageName.equals(diversion.owner())) {
            return path;
        }
        return diversion.to();
    }

    private void place(DebDataEntry entry, InputStream content, Path host, String imagePath, List<String> warnings)
            throws IOException {
        switch (entry.type()) {
            case DIRECTORY -> {
                if (!Files.isDirectory(host)) {
                    removeNonDirectory(host);
                    Files.createDirectory(host);
                    setAttributes(host, entry, imagePath);
                }
            }
            case FILE -> {
                writeFile(host, content);
                setAttributes(host, entry, imagePath);
            }
            case SYMLINK -> {
                Path temp = sibling(host);
                Posix.symlink(entry.linkTarget().getBytes(java.nio.charset.StandardCharsets.UTF_8), temp);
                Posix.lchown(temp, owner(entry, imagePath)[0], owner(entry, imagePath)[1]);
                Posix.setMtime(temp, entry.mtimeSeconds(), 0);
                replace(temp, host);
            }
            case HARDLINK -> {
                Path existing = image.resolve("/" + entry.linkTarget(), false);
                Path temp = sibling(host);
                Files.createLink(temp, existing);
                replace(temp, host);
            }
            case CHARACTER_DEVICE, BLOCK_DEVICE, FIFO -> {
                int type = switch (entry.type()) {
                    case CHARACTER_DEVICE -> Posix.S_IFCHR;
                    case BLOCK_DEVICE -> Posix.S_IFBLK;
                    default -> Posix.S_IFIFO;
                };
                Path temp = sibling(host);
                Posix.mknod(temp, type, entry.mode() & 07777, entry.devMajor(), entry.devMinor());
                setAttributes(temp, entry, imagePath);
                replace(temp, host);
            }
            default -> warnings.add("skipped " + imagePath + ": unsupported entry type " + entry.type());
        }
    }

    /** Returns the md5 of the version the package ships. */
    private String placeConffile(DebDataEntry entry, InputStream content, Path host, String recordedHash,
                                 List<String> kept) throws IOException {
        Path incoming = sibling(host);
        String shipped = writeHashed(incoming, content);
        setAttributes(incoming, entry, image.imagePath(host));
        boolean present = Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS);
        String current = present ? md5(host) : null;
        if (!present) {
            replace(incoming, host);
        } else if (shipped.equals(recordedHash) || shipped.equals(current)) {
            // The package did not change it, or the image already has exactly its version: dpkg
            // leaves the file as it is, owner and mode included (scripts often adjust those).
            Files.delete(incoming);
        } else if (current.equals(recordedHash) || recordedHash == null || "newconffile".equals(recordedHash)) {
            replace(incoming, host);
        } else {
            // Both changed: keep the admin's file (confold) and leave the package's beside it, as dpkg does.
            Files.move(incoming, host.resolveSibling(host.getFileName() + ".dpkg-dist"), StandardCopyOption.REPLACE_EXISTING);
            kept.add(image.imagePath(host));
        }
        return shipped;
    }

    private void setAttributes(Path host, DebDataEntry entry, String imagePath) throws IOException {
        long[] owner = owner(entry, imagePath);
        StatOverrides.Override override = overrides.forPath(imagePath);
        Posix.lchown(host, owner[0], owner[1]);
        // chown clears set-id bits, so the mode comes after it.
        Posix.chmod(host, override != null ? override.mode() : entry.mode() & 07777);
        Posix.setMtime(host, entry.mtimeSeconds(), 0);
    }

    private long[] owner(DebDataEntry entry, String imagePath) {
        StatOverrides.Override override = overrides.forPath(imagePath);
        if (override != null) {
            return new long[] {accounts.uid(override.user(), entry.uid()), accounts.gid(override.group(), entry.gid())};
        }
        return new long[] {accounts.uid(entry.user(), entry.uid()), accounts.gid(entry.group(), entry.gid())};
    }

    private void writeFile(Path host, InputStream content) throws IOException {
        Path temp = sibling(host);
        writeHashed(temp, content);
        replace(temp, host);
    }

    private static String writeHashed(Path file, InputStream content) throws IOException {
        MessageDigest md5 = md5Digest();
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = content.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    static String md5(Path file) throws IOException {
        MessageDigest md5 = md5Digest();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** A new entry is made beside its final name and renamed over it, so no reader sees half a file. */
    private static Path sibling(Path host) throws IOException {
        Path temp = host.resolveSibling(host.getFileName() + ".dpkg-new");
        Files.deleteIfExists(temp);
        return temp;
    }

    private static void replace(Path temp, Path host) throws IOException {
        if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(host + " is a directory in the image, the package has a file there");
        }
        Files.move(temp, host, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void removeNonDirectory(Path host) throws IOException {
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(host);
        }
    }
}
