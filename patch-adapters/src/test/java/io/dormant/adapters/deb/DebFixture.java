package io.dormant.adapters.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Builds deb files byte by byte for the hostile corpus: an ar archive of named members, and the
 * tar archives that go in them. Each fixture is a small variation of {@link #good()}.
 */
public final class DebFixture {

    public static final String CONTROL = """
            Package: hello
            Version: 2.10-3
            Architecture: amd64
            Maintainer: Santiago Vila <sanvila@debian.org>
            Installed-Size: 280
            Depends: libc6 (>= 2.34)
            Section: devel
            Priority: optional
            Homepage: https://www.gnu.org/software/hello/
            Description: example package based on GNU hello
             The GNU hello program produces a familiar, friendly greeting.
            """;

    private final List<byte[][]> members = new ArrayList<>();

    public static DebFixture good() throws IOException {
        return new DebFixture()
                .member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII))
                .member("control.tar.gz", gzip(tar(controlFiles(CONTROL))))
                .member("data.tar.xz", xz(tar(dataFiles())));
    }

    public static Map<String, String> controlFiles(String control) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./", null);
        files.put("./control", control);
        files.put("./md5sums", "6e2e3b6e0d0bb4f0e2e3c0f9b9e1c3a2  usr/bin/hello\n");
        files.put("./conffiles", "/etc/hello.conf\n");
        files.put("./postinst", "#!/bin/sh\nset -e\n");
        files.put("./triggers", "# comment\ninterest-noawait /usr/share/hello\nactivate-noawait ldconfig\n");
        return files;
    }

    public static Map<String, String> dataFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./", null);
        files.put("./etc/", null);
        files.put("./etc/hello.conf", "greeting=hi\n");
        files.put("./usr/", null);
        files.put("./usr/bin/", null);
        files.put("./usr/bin/hello", "#!/bin/sh\necho hello\n");
        return files;
    }

    DebFixture member(String name, byte[] content) {
        members.add(new byte[][] {name.getBytes(StandardCharsets.US_ASCII), content});
        return this;
    }

    public DebFixture replace(String name, byte[] content) {
        for (byte[][] m : members) {
            if (new String(m[0], StandardCharsets.US_ASCII).equals(name)) {
                m[1] = content;
                return this;
            }
        }
        throw new IllegalArgumentException(name);
    }

    DebFixture remove(String name) {
        members.removeIf(m -> new String(m[0], StandardCharsets.US_ASCII).equals(name));
        return this;
    }

    public byte[] bytes() {
        return bytes(-1);
    }

    /** The ar archive; {@code declaredSize} overrides the last member's size field when not -1. */
    byte[] bytes(long declaredSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < members.size(); i++) {
            byte[][] m = members.get(i);
            long size = i == members.size() - 1 && declaredSize >= 0 ? declaredSize : m[1].length;
            String header = String.format("%-16s%-12s%-6s%-6s%-8s%-10s`\n", new String(m[0], StandardCharsets.US_ASCII) + "/",
                    "1672068600", "0", "0", "100644", size);
            out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(m[1]);
            if (m[1].length % 2 == 1) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** A tar of name to content; a null content is a directory, "->target" a symlink. */
    public static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (Map.Entry<String, String> f : files.entrySet()) {
                String content = f.getValue();
                if (content != null && content.startsWith("->")) {
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey(), TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(content.substring(2));
                    tar.putArchiveEntry(e);
                } else {
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                    byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
                    e.setMode(content == null ? 040755 : f.getKey().contains("bin/") || f.getKey().endsWith("inst") ? 0100755 : 0100644);
                    e.setSize(data.length);
                    e.setModTime(1672068600_000L);
                    tar.putArchiveEntry(e);
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    public static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(data);
        }
        return out.toByteArray();
    }
}
