package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

/**
 * Opens a .deb: checks its ar structure as dpkg-deb does when the reader is made, then reads the
 * control archive into memory or streams the data archive on request. Each read opens the file
 * anew, so a reader holds no open file and can be shared; nothing is ever written.
 */
public final class DebArchiveReader {

    private static final byte[] SIGNATURE = "!<arch>\ndebian-binary".getBytes(StandardCharsets.US_ASCII);

    private final Path path;
    private final String file;
    private final DebLimits limits;
    private final DebArIndex.Index index;

    private DebArchiveReader(Path path, DebLimits limits, DebArIndex.Index index) {
        this.path = path;
        this.file = path.getFileName().toString();
        this.limits = limits;
        this.index = index;
    }

    /** Whether {@code signature}, the first bytes of a file, is the start of a deb. */
    public static boolean matches(byte[] signature) {
        return signature.length >= SIGNATURE.length && Arrays.equals(signature, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    public static DebArchiveReader open(Path deb) throws IOException {
        return open(deb, DebLimits.DEFAULT);
    }

    /**
     * Reads and checks the ar headers (not the members' contents).
     *
     * @throws DebFormatException naming the file, the member and the offset when dpkg would refuse it
     * @throws io.dormant.library.tar.LimitExceededException when a member declares more than a limit
     */
    public static DebArchiveReader open(Path deb, DebLimits limits) throws IOException {
        try (FileChannel channel = FileChannel.open(deb, StandardOpenOption.READ)) {
            return new DebArchiveReader(deb, limits, DebArIndex.read(deb.getFileName().toString(), channel, limits));
        }
    }

    /** The content of debian-binary without its newline, "2.0" for every current package. */
    public String formatVersion() {
        return index.formatVersion();
    }

    /** The control member's name, such as "control.tar.xz". */
    public String controlMember() {
        return index.control().name();
    }

    /** The data member's name, such as "data.tar.xz". */
    public String dataMember() {
        return index.data().name();
    }

    /** The control archive's top-level files by name ("control", "md5sums", "postinst", ...), in archive order. */
    public Map<String, byte[]> readControlFiles() throws IOException {
        try (DebTarStream tar = openTar(index.control(), index.controlCompression())) {
            return DebControlTarReader.read(file, index.control().name(), tar, limits);
        }
    }

    /**
     * The decompressed data.tar as a stream, for a caller that reads tar itself (the library's tar
     * importer). Names are not checked here; prefer {@link #readData}. The caller closes it.
     */
    public InputStream openDataTar() throws IOException {
        return index.dataCompression().open(new DebMemberStream(FileChannel.open(path, StandardOpenOption.READ), file, index.data()));
    }

    /**
     * Streams the data archive to {@code visitor}, every entry name resolved and checked first.
     *
     * @throws DebFormatException naming the file, the member, the entry and its offset
     */
    public void readData(DebDataVisitor visitor) throws IOException {
        try (DebTarStream tar = openTar(index.data(), index.dataCompression())) {
            DebDataTarReader.visit(tar, DebFormatException.label(file, index.data().name()), limits.data(), visitor);
        }
    }

    /**
     * Decompresses the data archive into a plain tar file, so that decompression (the slow part of
     * an apply) can run ahead and in parallel with the strictly ordered unpacking. Stops with an
     * error naming the package when the archive inflates beyond {@code maxBytes}.
     */
    public void extractDataTar(Path target, long maxBytes) throws IOException {
        try (InputStream in = openDataTar(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw DebFormatException.at(file, index.data().name(), total,
                            "decompresses to more than " + maxBytes + " bytes; refusing it");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** Streams a data archive that {@link #extractDataTar} wrote, every entry checked as in {@link #readData}. */
    public void readData(Path extractedTar, DebDataVisitor visitor) throws IOException {
        try (DebTarStream tar = new DebTarStream(file, index.data().name(), DebCompression.NONE,
                Files.newInputStream(extractedTar))) {
            DebDataTarReader.visit(tar, DebFormatException.label(file, index.data().name()), limits.data(), visitor);
        }
    }

    private DebTarStream openTar(DebArMember member, DebCompression compression) throws IOException {
        DebMemberStream raw = new DebMemberStream(FileChannel.open(path, StandardOpenOption.READ), file, member);
        try {
            return new DebTarStream(file, member.name(), compression, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
