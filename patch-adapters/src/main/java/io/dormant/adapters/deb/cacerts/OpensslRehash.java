package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code openssl rehash DIR} (apps/rehash.c of OpenSSL 3.0) in Java, so that no process is started
 * for it. The same steps in the same order, because the numbering of colliding links depends on
 * them: entries in byte order; an existing hash link registers its target with its old number; a
 * .pem/.crt/.cer/.crl file holding exactly one certificate or CRL asks for a link under its hash
 * unless a file with the same SHA-1 digest already did; then, per hash, links whose old number is
 * below the count needed stay, new ones take the lowest free numbers, and the rest are removed.
 */
final class OpensslRehash {

    private static final Pattern HASH_LINK = Pattern.compile("^([0-9a-fA-F]{8})\\.([rR]?)(.*)$");
    private static final List<String> EXTENSIONS = List.of("pem", "crt", "cer", "crl");
    private static final int NO_ID = 0xffff;
    private static final int MAX_COLLISIONS = 256;

    private final RootedFiles image;
    /** Files read before, by host path, size and time: the check and the run read the same certificates. */
    private final Map<String, HashedFile> read = new java.util.HashMap<>();

    OpensslRehash(RootedFiles image) {
        this.image = image;
    }

    private static final class Entry {
        final String filename;
        int oldId = NO_ID;
        boolean needSymlink;
        byte[] digest = new byte[20];

        Entry(String filename) {
            this.filename = filename;
        }
    }

    private static final class Bucket {
        final String hash;
        final boolean crl;
        final List<Entry> entries = new ArrayList<>();
        int numNeeded;

        Bucket(String hash, boolean crl) {
            this.hash = hash;
            this.crl = crl;
        }
    }

    /** Throws when a file of the directory is one that this emulation would not read as OpenSSL does. */
    void check(String dir) throws IOException, CertificateFormatException {
        for (String name : sortedNames(image.resolve(dir, true))) {
            Path entry = image.resolve(dir, true).resolve(name);
            if (!(Files.isSymbolicLink(entry) && hashLinkId(name) != null)) {
                hashed(dir, name);
            }
        }
    }

    void rehash(String dir) throws IOException, CertificateFormatException {
        Path host = image.resolve(dir, true);
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        for (String name : sortedNames(host)) {
            Path entry = host.resolve(name);
            if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Integer id = Files.isSymbolicLink(entry) ? hashLinkId(name) : null;
            if (id != null) {
                Matcher link = HASH_LINK.matcher(name);
                link.matches();
                add(buckets, !link.group(2).isEmpty(), link.group(1).toLowerCase(Locale.ROOT),
                        Files.readSymbolicLink(entry).toString(), null, id);
                continue;
            }
            HashedFile file = hashed(dir, name);
            if (file != null && file.single()) {
                add(buckets, file.crl(), file.hash(), name, file.digest(), NO_ID);
            }
        }
        for (Bucket bucket : buckets.values()) {
            link(host, bucket);
        }
    }

    private static void link(Path dir, Bucket bucket) throws IOException {
        BitSet taken = new BitSet();
        for (Entry entry : bucket.entries) {
            if (entry.oldId < bucket.numNeeded) {
                taken.set(entry.oldId);
            }
        }
        String prefix = bucket.hash + "." + (bucket.crl ? "r" : "");
        for (Entry entry : bucket.entries) {
            if (entry.oldId < bucket.numNeeded) {
                continue; // the link exists and is used as it is
            }
            if (entry.needSymlink) {
                int next = taken.nextClearBit(0);
                Path link = dir.resolve(prefix + next);
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of(entry.filename));
                taken.set(next);
            } else {
                Files.deleteIfExists(dir.resolve(prefix + entry.oldId));
            }
        }
    }

    /** add_entry: a digest already in the bucket is a duplicate; a known file name is the same entry. */
    private static void add(Map<String, Bucket> buckets, boolean crl, String hash, String filename, byte[] digest, int oldId)
            throws CertificateFormatException {
        Bucket bucket = buckets.computeIfAbsent((crl ? "r" : "") + hash, k -> new Bucket(hash, crl));
        Entry found = null;
        for (Entry entry : bucket.entries) {
            if (digest != null && Arrays.equals(digest, entry.digest)) {
                return; // "skipping duplicate certificate"
            }
            if (entry.filename.equals(filename)) {
                found = entry;
                if (digest == null) {
                    break;
                }
            }
        }
        if (found == null) {
            if (bucket.numNeeded >= MAX_COLLISIONS) {
                throw new CertificateFormatException("more than " + MAX_COLLISIONS + " certificates with hash " + hash);
            }
            found = new Entry(filename);
            bucket.entries.add(found);
        }
        found.oldId = Math.min(found.oldId, oldId);
        if (digest != null && !found.needSymlink) {
            found.needSymlink = true;
            bucket.numNeeded++;
            found.digest = digest;
        }
    }

    /** handle_symlink's reading of a name: eight hex digits, a dot, an optional r, a decimal number (strtoul). */
    private static Integer hashLinkId(String name) throws CertificateFormatException {
        Matcher link = HASH_LINK.matcher(name);
        if (!link.matches()) {
            return null;
        }
        String number = link.group(3);
        if (number.isEmpty()) {
            return 0;
        }
        if (!number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (" \t\n+-".indexOf(number.charAt(0)) >= 0) {
                throw new CertificateFormatException("a hash link name strtoul reads in its own way: " + name);
            }
            return null;
        }
        if (number.length() > 5) {
            throw new CertificateFormatException("a hash link number out of range: " + name);
        }
        return Integer.parseInt(number) & 0xffff;
    }

    /** do_file: null when OpenSSL skips the file without reading it (no known extension, nothing to open). */
    private HashedFile hashed(String dir, String name) throws IOException, CertificateFormatException {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return null;
        }
        Path file = image.resolve(dir + "/" + name, true);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CertificateFormatException(dir + "/" + name + " is not a regular file");
        }
        return read(file, dir + "/" + name);
    }

    /** HashedFile.read of a regular file, once per version of it. */
    HashedFile read(Path file, String imagePath) throws IOException, CertificateFormatException {
        java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(file,
                java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String key = file + "\0" + attributes.size() + "\0" + attributes.lastModifiedTime().toMillis();
        HashedFile known = read.get(key);
        if (known != null) {
            return known;
        }
        try {
            HashedFile hashed = HashedFile.read(Files.readAllBytes(file));
            read.put(key, hashed);
            return hashed;
        } catch (CertificateFormatException e) {
            throw new CertificateFormatException(imagePath + ": " + e.getMessage());
        }
    }

    /** The directory's names in strcmp order, as sk_OPENSSL_STRING_sort leaves them. */
    private static List<String> sortedNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .sorted((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)))
                    .toList();
        }
    }
}
