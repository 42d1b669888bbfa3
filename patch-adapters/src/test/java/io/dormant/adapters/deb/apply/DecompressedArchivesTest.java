package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.adapters.deb.DebArchiveReader;
import io.dormant.adapters.deb.DebFixture;
import io.dormant.adapters.deb.DebFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DecompressedArchivesTest {

    @TempDir
    Path dir;

    @Test
    void everyArchiveReadsInPlanOrderExactlyAsDecompressedEvenWithASmallBudget() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", deb("a.deb", 3 << 20));
        files.put("b", deb("b.deb", 10));
        files.put("c", deb("c.deb", 1 << 20));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, 64 * 1024)) {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                try (InputStream in = archives.open(file.getKey())) {
                    assertThat(in.readAllBytes()).isEqualTo(decompressed(file.getValue()));
                }
            }
        }
    }

    @Test
    void aCorruptArchiveFailsWhenItsPackageIsReadAndTheOthersStillRead() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", deb("a.deb", 10));
        byte[] bad = DebFixture.good().replace("data.tar.xz", "not xz at all".getBytes()).bytes();
        files.put("bad", Files.write(dir.resolve("bad.deb"), bad));
        files.put("c", deb("c.deb", 10));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30)) {
            try (InputStream in = archives.open("a")) {
                in.readAllBytes();
            }
            try (InputStream in = archives.open("bad")) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(DebFormatException.class)
                        .hasMessageStartingWith("bad.deb(data.tar.xz): corrupt xz data at its start");
            }
            try (InputStream in = archives.open("c")) {
                assertThat(in.readAllBytes()).isEqualTo(decompressed(files.get("c")));
            }
        }
    }

    @Test
    void anArchiveLeftUnreadDoesNotHoldUpTheNext() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", deb("a.deb", 2 << 20));
        files.put("b", deb("b.deb", 2 << 20));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, 64 * 1024)) {
            try (InputStream in = archives.open("a")) {
                assertThat(in.readNBytes(1000)).hasSize(1000);
            }
            try (InputStream in = archives.open("b")) {
                assertThat(in.readAllBytes()).isEqualTo(decompressed(files.get("b")));
            }
        }
    }

    /** A deb whose data archive holds one file of {@code size} bytes that compress badly. */
    private Path deb(String name, int size) throws IOException {
        Map<String, String> data = new LinkedHashMap<>(DebFixture.dataFiles());
        StringBuilder noise = new StringBuilder(size);
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            noise.append((char) ('!' + random.nextInt(90)));
        }
        data.put("./usr/share/noise", noise.toString());
        byte[] deb = DebFixture.good().replace("data.tar.xz", DebFixture.xz(DebFixture.tar(data))).bytes();
        return Files.write(dir.resolve(name), deb);
    }

    private static byte[] decompressed(Path deb) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebArchiveReader.open(deb).extractDataTar(out, 1L << 30);
        return out.toByteArray();
    }
}
