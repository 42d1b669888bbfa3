package io.dormant.engine.campaigns;

import io.dormant.adapters.deb.DebianVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A Debian repository read the way apt reads it: {@code dists/SUITE/InRelease} (or {@code Release}),
 * whose SHA256 list vouches for each {@code Packages} index, which in turn vouches for each package
 * file. Every byte fetched is checked against the digest and size one level up before it is used.
 * The Release file's OpenPGP signature is not verified (see docs/operations.md).
 *
 * <p>Sources are written as a sources.list line: {@code deb URL SUITE [COMPONENT...]}; http, https
 * and file URLs are read.
 */
public final class DebianRepository {

    private static final long INDEX_LIMIT = 512L << 20;

    /** One package the index offers. */
    public record Offer(String name, DebianVersion version, String architecture, String filename, String sha256, long size) {
    }

    private final URI base;
    private final String suite;
    private final List<String> components;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    private DebianRepository(URI base, String suite, List<String> components) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.suite = suite;
        this.components = components;
    }

    /** Parses {@code deb URL SUITE [COMPONENT...]}; components default to main. */
    public static DebianRepository parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 3 || !words[0].equals("deb")) {
            throw new IllegalArgumentException("'" + line + "' is not a repository line: write 'deb URL SUITE [COMPONENT...]',"
                    + " e.g. 'deb http://deb.debian.org/debian-security bookworm-security main'");
        }
        URI url = URI.create(words[1]);
        if (!List.of("http", "https", "file").contains(String.valueOf(url.getScheme()))) {
            throw new IllegalArgumentException("the repository URL " + words[1] + " is not http, https or file");
        }
        List<String> components = words.length > 3 ? List.of(words).subList(3, words.length) : List.of("main");
        return new DebianRepository(url, words[2], components);
    }

    public static boolean looksLikeRepository(String source) {
        return source.strip().startsWith("deb ");
    }

    @Override
    public String toString() {
        return "deb " + base + " " + suite + " " + String.join(" ", components);
    }

    /** The newest offer of each package for the given architectures (and "all"), by dpkg's version order. */
    public Map<String, List<Offer>> index(List<String> architectures) throws IOException {
        Map<String, ReleaseEntry> release = release();
        Map<String, List<Offer>> offers = new HashMap<>();
        for (String component : components) {
            for (String arch : architectures) {
                String dir = component + "/binary-" + arch + "/";
                byte[] packages = fetchIndex(release, dir);
                for (Offer offer : parsePackages(new String(packages, StandardCharsets.UTF_8), dir)) {
                    offers.computeIfAbsent(offer.name(), n -> new ArrayList<>()).add(offer);
                }
            }
        }
        return offers;
    }

    /** Fetches a package file into {@code cache} (named by its digest), checking size and SHA-256. */
    public Path download(Offer offer, Path cache) throws IOException {
        Files.createDirectories(cache);
        Path target = cache.resolve(offer.sha256() + ".deb");
        if (Files.exists(target) && Files.size(target) == offer.size()) {
            return target;
        }
        byte[] bytes = fetch(offer.filename(), offer.size());
        check(offer.filename(), bytes, offer.sha256(), offer.size());
        Path partial = Files.createTempFile(cache, "download-", ".partial");
        Files.write(partial, bytes);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private record ReleaseEntry(String sha256, long size) {
    }

    private Map<String, ReleaseEntry> release() throws IOException {
        String text;
        try {
            text = stripSignature(new String(fetch("dists/" + suite + "/InRelease", INDEX_LIMIT), StandardCharsets.UTF_8));
        } catch (IOException e) {
            text = new String(fetch("dists/" + suite + "/Release", INDEX_LIMIT), StandardCharsets.UTF_8);
        }
        Map<String, ReleaseEntry> entries = new LinkedHashMap<>();
        boolean inSha256 = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(" ")) {
                inSha256 = line.startsWith("SHA256:");
                continue;
            }
            if (inSha256) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 3) {
                    entries.put(parts[2], new ReleaseEntry(parts[0], Long.parseLong(parts[1])));
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IOException(base + "dists/" + suite + "/Release has no SHA256 list: apt would refuse this repository");
        }
        return entries;
    }

    private byte[] fetchIndex(Map<String, ReleaseEntry> release, String dir) throws IOException {
        for (String name : List.of("Packages.xz", "Packages.gz", "Packages")) {
            ReleaseEntry entry = release.get(dir + name);
            if (entry == null) {
                continue;
            }
            String path = "dists/" + suite + "/" + dir + name;
            byte[] bytes = fetch(path, entry.size());
            check(path, bytes, entry.sha256(), entry.size());
            try (InputStream in = switch (name) {
                case "Packages.xz" -> new XZInputStream(new ByteArrayInputStream(bytes));
                case "Packages.gz" -> new GZIPInputStream(new ByteArrayInputStream(bytes));
                default -> new ByteArrayInputStream(bytes);
            }) {
                return in.readNBytes((int) Math.min(INDEX_LIMIT, Integer.MAX_VALUE - 8));
            }
        }
        throw new IOException("the Release file of " + this + " lists no Packages index under " + dir
                + "; check the suite, the components and the architecture");
    }

    static List<Offer> parsePackages(String text, String where) throws IOException {
        List<Offer> offers = new ArrayList<>();
        for (String paragraph : text.split("\n\n")) {
            Map<String, String> fields = new HashMap<>();
            for (String line : paragraph.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith(" ")) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            if (!fields.containsKey("Package")) {
                continue;
            }
            for (String required : List.of("Version", "Architecture", "Filename", "SHA256", "Size")) {
                if (!fields.containsKey(required)) {
                    throw new IOException("the Packages index " + where + " lists " + fields.get("Package")
                            + " without " + required);
                }
            }
            String filename = fields.get("Filename");
            if (filename.startsWith("/") || List.of(filename.split("/")).contains("..")) {
                throw new IOException("the Packages index " + where + " names the file " + filename + " outside the repository");
            }
            offers.add(new Offer(fields.get("Package"), DebianVersion.parse(fields.get("Version")), fields.get("Architecture"),
                    filename, fields.get("SHA256"), Long.parseLong(fields.get("Size"))));
        }
        return offers;
    }

    private byte[] fetch(String path, long expectedSize) throws IOException {
        URI uri = base.resolve(path);
        if ("file".equals(uri.getScheme())) {
            Path file = Path.of(uri);
            if (Files.size(file) > expectedSize) {
                throw new IOException(uri + " is larger than the " + expectedSize + " bytes its index declares");
            }
            return Files.readAllBytes(file);
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + uri + " answered " + response.statusCode());
                }
                byte[] bytes = body.readNBytes((int) Math.min(expectedSize + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > expectedSize) {
                    throw new IOException(uri + " is larger than the " + expectedSize + " bytes its index declares");
                }
                return bytes;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
    }

    private void check(String path, byte[] bytes, String sha256, long size) throws IOException {
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (bytes.length != size || !actual.equalsIgnoreCase(sha256)) {
            throw new IOException(base.resolve(path) + " does not match its index: " + bytes.length + " bytes, SHA-256 " + actual
                    + "; the index says " + size + " bytes, " + sha256 + ". The mirror may be mid-update: try again later");
        }
    }

    private static String stripSignature(String text) {
        if (!text.startsWith("-----BEGIN PGP SIGNED MESSAGE-----")) {
            return text;
        }
        int start = text.indexOf("\n\n") + 2;
        int end = text.indexOf("\n-----BEGIN PGP SIGNATURE-----");
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
