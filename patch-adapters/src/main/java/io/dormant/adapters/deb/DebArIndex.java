package io.dormant.adapters.deb;

import io.dormant.library.tar.LimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads the ar headers of a deb and checks them in the order dpkg-deb does
 * ({@code extracthalf} in dpkg's src/deb/extract.c): {@code debian-binary} first with a 2.x
 * version, then optional members starting with '_', then exactly one {@code control.tar*}, then
 * {@code data.tar*}; anything after the data member is not read, as dpkg does not read it. Only
 * headers are read; member contents are left for the caller to stream.
 */
final class DebArIndex {

    static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
    static final String DEBIAN_BINARY = "debian-binary";
    static final String CONTROL_PREFIX = "control.tar";
    static final String DATA_PREFIX = "data.tar";
    private static final int HEADER = 60;
    /** dpkg-deb writes "2.0\n"; anything much longer is not a format version. */
    private static final int MAX_DEBIAN_BINARY = 1024;

    /** What the ar headers say: the format version and the two tar members. */
    record Index(String formatVersion, DebArMember control, DebCompression controlCompression,
                 DebArMember data, DebCompression dataCompression) {
    }

    private final String file;
    private final FileChannel channel;
    private final DebLimits limits;
    private final long fileSize;

    private DebArIndex(String file, FileChannel channel, DebLimits limits) throws IOException {
        this.file = file;
        this.channel = channel;
        this.limits = limits;
        this.fileSize = channel.size();
    }

    static Index read(String file, FileChannel channel, DebLimits limits) throws IOException {
        return new DebArIndex(file, channel, limits).read();
    }

    private Index read() throws IOException {
        checkMagic();
        long pos = MAGIC.length;
        DebArMember first = header(pos);
        if (!first.name().equals(DEBIAN_BINARY)) {
            throw DebFormatException.at(file, first.name(), first.headerOffset(),
                    "not a Debian binary package: its first member must be 'debian-binary'");
        }
        String version = formatVersion(first);
        pos = next(first);
        DebArMember control = null;
        DebCompression controlCompression = null;
        while (true) {
            if (pos >= fileSize) {
                String missing = control == null ? "control.tar" : "data.tar";
                throw DebFormatException.at(file, null, pos, "the archive ends without a '" + missing
                        + "' member; it is truncated or not a complete package");
            }
            DebArMember m = header(pos);
            pos = next(m);
            if (m.name().startsWith("_")) {
                continue; // dpkg: "members with '_' are noncritical, and if we don't understand them we skip them"
            }
            if (m.name().startsWith(CONTROL_PREFIX)) {
                if (control != null) {
                    throw DebFormatException.at(file, m.name(), m.headerOffset(), "a second control member; dpkg refuses the package");
                }
                controlCompression = compression(m, CONTROL_PREFIX);
                if (controlCompression != DebCompression.NONE && controlCompression != DebCompression.GZIP
                        && controlCompression != DebCompression.XZ && controlCompression != DebCompression.ZSTD) {
                    throw DebFormatException.at(file, m.name(), m.headerOffset(),
                            "control members may be plain, .gz, .xz or .zst; dpkg refuses " + controlCompression.name().toLowerCase());
                }
                if (m.size() > limits.maxControlSize()) {
                    throw new LimitExceededException(DebFormatException.label(file, m.name()), m.headerOffset(),
                            "member size", m.size(), limits.maxControlSize());
                }
                checkInFile(m);
                control = m;
            } else if (m.name().startsWith(DATA_PREFIX) && control != null) {
                DebCompression dataCompression = compression(m, DATA_PREFIX);
                checkInFile(m);
                return new Index(version, control, controlCompression, m, dataCompression);
            } else {
                String expected = control == null ? "control.tar" : "data.tar";
                throw DebFormatException.at(file, m.name(), m.headerOffset(), "premature member before '" + expected
                        + "'; a deb holds debian-binary, control.tar, data.tar in this order, and optional members named '_*'");
            }
        }
    }

    private void checkMagic() throws IOException {
        byte[] head = readAt(0, (int) Math.min(MAGIC.length, fileSize));
        if (head.length == MAGIC.length && java.util.Arrays.equals(head, MAGIC)) {
            return;
        }
        String found = new String(head, StandardCharsets.ISO_8859_1);
        if (found.startsWith("0.93")) {
            throw DebFormatException.at(file, null, 0, "an old-format (0.93x) package, which Dormant does not read; rebuild it with dpkg-deb");
        }
        throw DebFormatException.at(file, null, 0, "not a Debian package: it does not start with the ar magic \"!<arch>\\n\""
                + (head.length == 0 ? " (the file is empty)" : " (it starts with \"" + printable(found) + "\")"));
    }

    private DebArMember header(long at) throws IOException {
        if (fileSize - at < HEADER) {
            throw DebFormatException.at(file, null, at, "the file ends at offset " + fileSize
                    + " inside a 60-byte member header; it is truncated");
        }
        byte[] h = readAt(at, HEADER);
        String name = name(h);
        if (h[58] != '`' || h[59] != '\n') {
            throw DebFormatException.at(file, name, at, "bad member header magic (bytes 58-59 are not \"`\\n\"); the file is corrupt");
        }
        if (name.startsWith("#1/")) {
            throw DebFormatException.at(file, name, at, "a BSD long member name, which dpkg does not accept in a deb");
        }
        long size = size(h, name, at);
        return new DebArMember(name, at, at + HEADER, size);
    }

    /** dpkg_ar_normalize_name: trailing spaces go, then one GNU '/' terminator. */
    private static String name(byte[] h) {
        int end = 16;
        while (end > 0 && h[end - 1] == ' ') {
            end--;
        }
        if (end > 0 && h[end - 1] == '/') {
            end--;
        }
        return printable(new String(h, 0, end, StandardCharsets.ISO_8859_1));
    }

    /** Decimal, left-aligned and space-padded in bytes 48-57, as dpkg_ar_member_get_size reads it. */
    private long size(byte[] h, String name, long at) throws DebFormatException {
        long size = 0;
        int i = 48;
        for (; i < 58 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '9') {
                throw DebFormatException.at(file, name, at, "invalid character '" + printable(String.valueOf((char) (h[i] & 0xff)))
                        + "' in the member size; the file is corrupt");
            }
            size = size * 10 + (h[i] - '0');
        }
        if (i == 48) {
            throw DebFormatException.at(file, name, at, "the member size is empty; the file is corrupt");
        }
        return size;
    }

    private String formatVersion(DebArMember m) throws IOException {
        if (m.size() > MAX_DEBIAN_BINARY) {
            throw new LimitExceededException(DebFormatException.label(file, m.name()), m.headerOffset(), "member size", m.size(), MAX_DEBIAN_BINARY);
        }
        checkInFile(m);
        String text = new String(readAt(m.dataOffset(), (int) m.size()), StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        if (newline < 0 || !line.matches("[0-9]+\\.[0-9]+")) {
            throw DebFormatException.at(file, m.name(), m.dataOffset(), "invalid format version \"" + printable(text)
                    + "\"; expected \"2.0\\n\"");
        }
        if (!line.startsWith("2.")) {
            throw DebFormatException.at(file, m.name(), m.dataOffset(), "format version " + line
                    + " is not supported; dpkg and Dormant read format 2.x");
        }
        return line;
    }

    private DebCompression compression(DebArMember m, String prefix) throws DebFormatException {
        DebCompression c = DebCompression.byExtension(m.name().substring(prefix.length()));
        if (c == null) {
            throw DebFormatException.at(file, m.name(), m.headerOffset(), "unknown compression '" + m.name().substring(prefix.length())
                    + "'; known are none, .gz, .xz, .zst, .bz2 and .lzma");
        }
        if (m.size() == 0) {
            throw DebFormatException.at(file, m.name(), m.headerOffset(), "a zero-sized tar member");
        }
        return c;
    }

    private void checkInFile(DebArMember m) throws DebFormatException {
        long left = fileSize - m.dataOffset();
        if (m.size() > left) {
            throw DebFormatException.at(file, m.name(), m.headerOffset(), "the member declares " + m.size()
                    + " bytes, but the file ends at offset " + fileSize + ", " + (m.size() - left)
                    + " bytes before its end; it is truncated or its size is corrupt");
        }
    }

    private static long next(DebArMember m) {
        return m.dataOffset() + m.size() + (m.size() & 1);
    }

    private byte[] readAt(long at, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, at + buf.position()) < 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
