package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebArchiveReader;
import io.dormant.adapters.deb.DebConffile;
import io.dormant.adapters.deb.DebDataEntry;
import io.dormant.adapters.deb.DebMd5sums;
import io.dormant.adapters.deb.DebPackage;
import io.dormant.adapters.deb.DpkgConffileOptions;
import io.dormant.adapters.deb.DpkgDiversion;
import io.dormant.adapters.deb.DpkgPathFilters;
import io.dormant.adapters.rootfs.RootedFiles;
import com.sun.jna.Memory;
import io.dormant.library.posix.Lstat;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Unpacks a package's data archive into an image tree the way dpkg does: owners by name in the
 * image, modes and times from the archive, stat overrides and diversions honoured, existing
 * directories left as they are, the image's dpkg path filters followed, and conffiles by dpkg's
 * rules ({@link ConffileDecision}: a locally changed conffile is kept and the package's version is
 * written beside it as {@code .dpkg-dist}, unless the image's dpkg options say otherwise).
 */
final class DebUnpacker {

    private static final int BUFFER = 256 * 1024;

    private final RootedFiles image;
    private final ImageAccounts accounts;
    private final StatOverrides overrides;
    private final Diversions diversions;
    private final DpkgPathFilters filters;
    private final DpkgConffileOptions conffileOptions;
    /**
     * Host directory of each parent image path resolved so far, so that a file's parents are not
     * walked (one lstat per name) again for each file. Only an unpack changes the tree meanwhile,
     * and it forgets them all whenever it writes or replaces a symlink.
     */
    private final Map<String, Path> parents = new HashMap<>();
    private final byte[] buffer = new byte[BUFFER];
    private final Memory nativeBuffer = new Memory(BUFFER);
    /** The writes of the package being unpacked that are still under way on writer threads. */
    private ParallelWrites writes;

    DebUnpacker(RootedFiles image, ImageAccounts accounts, StatOverrides overrides, List<DpkgDiversion> diversions,
                DpkgPathFilters filters, DpkgConffileOptions conffileOptions) {
        this.image = image;
        this.filters = filters;
        this.conffileOptions = conffileOptions;
        this.accounts = accounts;
        this.overrides = overrides;
        this.diversions = new Diversions(diversions);
    }

    /**
     * @param data              the package's data archive, decompressed (see {@link DecompressedArchives})
     * @param previousConffiles the package's conffiles, each with the hash dpkg holds for it before
     *                          the unpack ({@link ConffileUpgrade#recordedBefore})
     * @param takeover          decides each file that another installed package lists
     */
    UnpackResult unpack(Path debFile, InputStream data, DebPackage pkg, List<DebConffile> previousConffiles,
                        FileTakeover.Unpack takeover) throws IOException {
        // Maintainer scripts ran since the last unpack and may have changed any directory.
        parents.clear();
        Map<String, String> recorded = previousConffiles.stream()
                .collect(Collectors.toMap(DebConffile::path, DebConffile::hash, (a, b) -> a));
        java.util.Set<String> conffiles = pkg.conffiles().stream().map(DebConffile::path).collect(Collectors.toSet());
        java.util.Set<String> removeOnUpgrade = pkg.conffiles().stream().filter(DebConffile::removeOnUpgrade)
                .map(DebConffile::path).collect(Collectors.toSet());
        List<String> paths = new ArrayList<>();
        List<DebConffile> hashed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> filtered = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        // dpkg writes the md5sums of a package that ships none from what it unpacked (dpkg -V needs them).
        Map<String, String> fileHashes = pkg.controlFiles().containsKey("md5sums") ? null : new HashMap<>();
        StringBuilder md5sums = new StringBuilder();
        try (ParallelWrites pending = new ParallelWrites()) {
            writes = pending;
            DebArchiveReader.open(debFile).readData(data, (entry, content) -> {
                String path = entry.path().isEmpty() ? "/." : "/" + entry.path();
                paths.add(path);
                if (entry.path().isEmpty()) {
                    return;
                }
                if (removeOnUpgrade.contains(path)) {
                    throw new IOException(debFile.getFileName() + ": data archive entry '" + entry.path() + "': the package's"
                            + " conffiles mark " + path + " remove-on-upgrade, yet the package ships it (dpkg refuses such a package)");
                }
                String target = diversions.pathFor(path, pkg.name());
                if (writes.touches(target)) {
                    writes.drain(); // the archive names the path twice, or a file of it as a directory
                }
                // A filtered entry stays listed but is not unpacked; dpkg asks only after its checks
                // of who else has the path, and by the archive's name, not the diverted one.
                boolean skipped = filters.skips(path, entry.type() == DebDataEntry.Type.DIRECTORY
                        || entry.type() == DebDataEntry.Type.SYMLINK);
                if (entry.type() == DebDataEntry.Type.DIRECTORY) {
                    if (skipped) {
                        filtered.add(path);
                    } else {
                        placeDirectory(entry, target);
                    }
                    return;
                }
                Path host = hostOf(target);
                int found = Lstat.type(host);
                if (entry.type() == DebDataEntry.Type.SYMLINK && directoryThere(target, found, entry.linkTarget())) {
                    // dpkg leaves a directory, or a link to the directory the new link names, as it is
                    // (a merged /usr's /bin): it neither replaces it nor asks who else lists it.
                    if (skipped) {
                        filtered.add(path);
                    }
                    return;
                }
                if (takeover.decide(path, found, conffiles.contains(path)) == FileTakeover.Decision.KEEP_EXISTING) {
                    paths.remove(paths.size() - 1); // the installed package that replaces this one keeps it
                    return;
                }
                if (skipped) {
                    filtered.add(path);
                    return;
                }
                if (found == Posix.S_IFDIR) {
                    throw new IOException(host + " is a directory in the image, the package has a file there");
                }
                if (found == Posix.S_IFLNK || entry.type() == DebDataEntry.Type.SYMLINK) {
                    parents.clear();
                }
                String hash;
                if (conffiles.contains(path) && entry.type() == DebDataEntry.Type.FILE) {
                    PlacedConffile placed = placeConffile(entry, content, host, found, recorded.get(path), kept, warnings);
                    hash = placed.shipped();
                    hashed.add(new DebConffile(path, placed.recorded(), false, false));
                } else {
                    hash = place(entry, content, host, target, warnings, fileHashes != null);
                }
                if (fileHashes != null && entry.type() == DebDataEntry.Type.HARDLINK) {
                    hash = fileHashes.get("/" + entry.linkTarget());
                }
                if (fileHashes != null && hash != null) {
                    fileHashes.put(path, hash);
                    md5sums.append(hash).append("  ").append(path, 1, path.length()).append('\n');
                }
                (found != 0 ? changed : added).add(path);
            });
            pending.drain();
        } finally {
            writes = null;
        }
        byte[] generated = fileHashes == null ? null : md5sums.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new UnpackResult(paths, hashed, added, changed, kept, filtered, warnings, generated);
    }

    /**
     * Whether the image has a directory at {@code imagePath}, or a symlink to the directory that a
     * new link to {@code linkTarget} would name too (dpkg's linktosameexistingdir).
     */
    private boolean directoryThere(String imagePath, int found, String linkTarget) throws IOException {
        if (found == Posix.S_IFDIR) {
            return true;
        }
        if (found != Posix.S_IFLNK) {
            return false;
        }
        // Following the links could pass through a path whose new file is still being written.
        writes.drain();
        String existing = image.canonical(imagePath);
        if (existing == null || !Files.isDirectory(image.resolve(existing, false), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String parent = imagePath.substring(0, Math.max(imagePath.lastIndexOf('/'), 0));
        String wanted = image.canonical(linkTarget.startsWith("/") ? linkTarget : parent + "/" + linkTarget);
        return existing.equals(wanted);
    }

    /** The host path of a non-directory's image path: its parents followed, the name itself not. */
    private Path hostOf(String imagePath) throws IOException {
        int slash = imagePath.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : imagePath.substring(0, slash);
        Path hostParent = parents.get(parent);
        if (hostParent == null) {
            hostParent = image.resolve(parent, true);
            parents.put(parent, hostParent);
        }
        return hostParent.resolve(imagePath.substring(slash + 1));
    }

    /** An existing directory, or a symlink to one, is left as it is (dpkg does not touch it). */
    private void placeDirectory(DebDataEntry entry, String imagePath) throws IOException {
        Path host = hostOf(imagePath);
        int found = Lstat.type(host);
        if (found == Posix.S_IFDIR) {
            return;
        }
        if (found == Posix.S_IFLNK) {
            host = image.resolve(imagePath, true);
            if (Files.isDirectory(host)) {
                return;
            }
        }
        removeNonDirectory(host);
        Files.createDirectory(host);
        setAttributes(host, entry, imagePath);
    }

    /** Places one entry; answers the md5 of a regular file's content when {@code hash} asks for it. */
    private String place(DebDataEntry entry, InputStream content, Path host, String imagePath, List<String> warnings,
                         boolean hash) throws IOException {
        switch (entry.type()) {
            case FILE -> {
                Path temp = newName(host);
                if (entry.size() <= ParallelWrites.LARGEST) {
                    byte[] bytes = content.readNBytes((int) entry.size());
                    writes.write(imagePath, temp, host, bytes, fileAttributes(entry, imagePath));
                    return hash ? HexFormat.of().formatHex(DebMd5sums.digest().digest(bytes)) : null;
                }
                MessageDigest md5 = hash ? DebMd5sums.digest() : null;
                writeFile(temp, entry, imagePath, content, md5);
                replace(temp, host);
                return md5 == null ? null : HexFormat.of().formatHex(md5.digest());
            }
            case SYMLINK -> {
                Path temp = sibling(host);
                Posix.symlink(entry.linkTarget().getBytes(java.nio.charset.StandardCharsets.UTF_8), temp);
                Posix.lchown(temp, owner(entry, imagePath)[0], owner(entry, imagePath)[1]);
                Posix.setMtime(temp, entry.mtimeSeconds(), 0);
                replace(temp, host);
            }
            case HARDLINK -> {
                writes.drain(); // the link's target may be one of them
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
        return null;
    }

    /**
     * Places a conffile as dpkg does when it configures the package ({@link ConffileDecision}); the
     * shipped version takes the owner and mode of the file it replaces. A conffile the admin made a
     * link is left as dpkg leaves it: dpkg unpacks the new version beside the link, then looks for
     * it beside the file behind the link, does not find it, and changes nothing, its recorded md5
     * sum included.
     */
    private PlacedConffile placeConffile(DebDataEntry entry, InputStream content, Path host, int found, String recordedHash,
                                   List<String> kept, List<String> warnings) throws IOException {
        String shown = image.imagePath(host);
        if (found != 0 && found != Posix.S_IFREG && found != Posix.S_IFLNK) {
            throw new IOException(shown + " is a conffile of the package, but the image has a special file there;"
                    + " dpkg cannot configure it either: remove it from the image first");
        }
        Path incoming = sibling(host);
        MessageDigest md5 = DebMd5sums.digest();
        writeFile(incoming, entry, shown, content, md5);
        String shipped = HexFormat.of().formatHex(md5.digest());
        String unchanged = recordedHash == null ? ConffileUpgrade.NEW_CONFFILE : recordedHash;
        if (found == Posix.S_IFLNK) {
            warnings.add(shown + " is a link (to " + new String(Posix.readlink(host), java.nio.charset.StandardCharsets.UTF_8)
                    + "): as dpkg does, the package's version is left beside it as " + shown + ".dpkg-new and the file"
                    + " behind the link is not changed; merge the two by hand");
            return new PlacedConffile(shipped, unchanged);
        }
        String current = found == Posix.S_IFREG ? DebMd5sums.of(host) : null;
        ConffileDecision.Choice choice = ConffileDecision.decide(conffileOptions, recordedHash, current, shipped);
        if (current != null && choice.outcome() != ConffileDecision.Outcome.KEEP) {
            // dpkg copies them before it decides; a version it drops needs none.
            Map<String, Object> installed = Files.readAttributes(host, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            Posix.lchown(incoming, (Integer) installed.get("uid") & 0xffffffffL, (Integer) installed.get("gid") & 0xffffffffL);
            Posix.chmod(incoming, (Integer) installed.get("mode") & 07777);
        }
        switch (choice.outcome()) {
            case KEEP -> Files.delete(incoming);
            case INSTALL -> replace(incoming, host);
            case KEEP_WITH_DIST -> {
                Files.deleteIfExists(suffixed(host, ".dpkg-old"));
                Files.move(incoming, suffixed(host, ".dpkg-dist"), StandardCopyOption.REPLACE_EXISTING);
                kept.add(shown);
            }
            case INSTALL_WITH_OLD -> {
                Files.deleteIfExists(suffixed(host, ".dpkg-dist"));
                Files.deleteIfExists(suffixed(host, ".dpkg-old"));
                if (!choice.deleted()) {
                    Files.createLink(suffixed(host, ".dpkg-old"), host);
                }
                replace(incoming, host);
                warnings.add(shown + ": the package's version replaced the admin's (the image's dpkg has force-confnew)"
                        + (choice.deleted() ? "" : "; the admin's is kept as " + shown + ".dpkg-old"));
            }
        }
        return new PlacedConffile(shipped, shipped);
    }

    /** The md5 sum of the version a package ships, and the one dpkg records for the conffile. */
    private record PlacedConffile(String shipped, String recorded) {
    }

    /** {@code host} with a suffix to its name: dpkg's {@code .dpkg-new}, {@code .dpkg-dist}, {@code .dpkg-old}. */
    static Path suffixed(Path host, String suffix) {
        return host.resolveSibling(host.getFileName() + suffix);
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

    /** Writes a new file with the entry's owner, mode and time; the md5 only for a conffile (dpkg records those). */
    private void writeFile(Path file, DebDataEntry entry, String imagePath, InputStream content, MessageDigest md5)
            throws IOException {
        ParallelWrites.Attributes a = fileAttributes(entry, imagePath);
        try (NewFile out = create(file)) {
            out.write(content, buffer, nativeBuffer, md5);
            out.finish(a.uid(), a.gid(), a.mode(), a.mtimeSeconds());
        }
    }

    /** A regular file's owner, mode and time: the archive's, or the image's stat override. */
    private ParallelWrites.Attributes fileAttributes(DebDataEntry entry, String imagePath) {
        long[] owner = owner(entry, imagePath);
        StatOverrides.Override override = overrides.forPath(imagePath);
        return new ParallelWrites.Attributes(owner[0], owner[1], override != null ? override.mode() : entry.mode() & 07777,
                entry.mtimeSeconds());
    }

    /** A new entry is made beside its final name and renamed over it, so no reader sees half a file. */
    private static Path newName(Path host) {
        return suffixed(host, ".dpkg-new");
    }

    /** {@link #newName}, with whatever was left there removed. */
    private static Path sibling(Path host) throws IOException {
        Path temp = newName(host);
        Files.deleteIfExists(temp);
        return temp;
    }

    /** Nothing is normally at a file's new name; what is (left by a crash) is removed only then. */
    static NewFile create(Path file) throws IOException {
        try {
            return NewFile.create(file);
        } catch (FileAlreadyExistsException e) {
            Files.delete(file);
            return NewFile.create(file);
        }
    }

    /** The caller checked that no directory is at {@code host}. */
    static void replace(Path temp, Path host) throws IOException {
        Files.move(temp, host, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void removeNonDirectory(Path host) throws IOException {
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(host);
        }
    }
}
