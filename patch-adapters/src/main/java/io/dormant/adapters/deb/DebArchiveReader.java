package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
     * Decompresses the data archive into {@code target}, so that decompression (the slow part of
     * an apply) can run ahead and in parallel with the strictly ordered unpacking. Large xz members
     * go through the xz tool when the host has it (liblzma decodes about half again as fast as
     * xz-java). Stops with an error naming the package when the archive inflates beyond
     * {@code maxBytes}.
     */
    public void extractDataTar(OutputStream target, long maxBytes) throws IOException {
        try (InputStream in = openDataTarForExtraction()) {
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (DebFormatException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw decompressionFailure(total, e);
                }
                if (n < 0) {
                    return;
                }
                total += n;
                if (total > maxBytes) {
                    throw DebFormatException.at(file, index.data().name(), total,
                            "decompresses to more than " + maxBytes + " bytes; refusing it");
                }
                target.write(buffer, 0, n);
            }
        }
    }

    /**
     * Decompresses the data archive into the file {@code target}, as {@link #extractDataTar} does
     * into a stream. Large xz members are decoded by the xz tool writing the file itself, so that
     * the decoded bytes do not pass through this process's memory; {@code written} hears how many
     * bytes the file holds so far (a reader may follow it), and {@code stop} ends the decoding.
     */
    public void extractDataTar(Path target, long maxBytes, java.util.function.LongConsumer written,
                               java.util.function.BooleanSupplier stop) throws IOException {
        if (index.dataCompression() == DebCompression.XZ && DebXzProcess.worthIt(index.data().size())) {
            DebMemberStream raw = new DebMemberStream(FileChannel.open(path, StandardOpenOption.READ), file, index.data());
            try {
                DebXzProcess.decodeTo(file, index.data().name(), raw, target, maxBytes, written, stop);
            } catch (DebXzProcess.TooLargeException e) {
                throw DebFormatException.at(file, index.data().name(), e.size(),
                        "decompresses to more than " + maxBytes + " bytes; refusing it");
            } catch (DebFormatException | java.io.InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (stop.getAsBoolean()) {
                    throw e;
                }
                if (String.valueOf(e.getMessage()).contains("Write error")) {
                    // xz could not write the file (a full disk): not the package's fault
                    throw new IOException("cannot write the decompressed data of " + file + " to " + target + ": "
                            + e.getMessage() + "; make room there and apply again", e);
                }
                throw decompressionFailure(Files.size(target), e);
            }
            return;
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long[] total = {0};
            extractDataTar(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (stop.getAsBoolean()) {
                        throw new IOException("the unpack stopped reading this package");
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    total[0] += len;
                    written.accept(total[0]);
                }
            }, maxBytes);
        }
    }

    private InputStream openDataTarForExtraction() throws IOException {
        DebCompression compression = index.dataCompression();
        DebMemberStream raw = new DebMemberStream(FileChannel.open(path, StandardOpenOption.READ), file, index.data());
        try {
            if (compression == DebCompression.XZ && DebXzProcess.worthIt(index.data().size())) {
                return DebXzProcess.open(file, index.data().name(), raw);
            }
            return compression.open(raw);
        } catch (DebFormatException e) {
            raw.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw DebFormatException.inside(file, index.data().name(), "corrupt " + compression.name().toLowerCase()
                    + " data at its start: " + e.getMessage(), e);
        }
    }

    private DebFormatException decompressionFailure(long decompressed, Exception e) {
        String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String compression = index.dataCompression().name().toLowerCase();
        if (e instanceof java.io.EOFException || problem.toLowerCase().contains("truncated")) {
            return DebFormatException.inside(file, index.data().name(), "the " + compression + " data ends after "
                    + decompressed + " bytes of the uncompressed tar; it is truncated (" + problem + ")", e);
        }
        return DebFormatException.inside(file, index.data().name(), "corrupt " + compression + " data after "
                + decompressed + " bytes of the uncompressed tar: " + problem, e);
    }

    /**
     * Streams a data archive that {@link #extractDataTar} decompressed, every entry checked as in
     * {@link #readData(DebDataVisitor)}. The stream is read to its end, so that a fault after the
     * tar's last entry (a truncated or corrupt end of the compressed member) fails here too.
     */
    public void readData(InputStream decompressedTar, DebDataVisitor visitor) throws IOException {
        try (DebTarStream tar = new DebTarStream(file, index.data().name(), DebCompression.NONE, decompressedTar)) {
            DebDataTarReader.visit(tar, DebFormatException.label(file, index.data().name()), limits.data(), visitor);
            tar.readToEnd();
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
