package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.adapters.deb.DebArchiveReader;
import io.dormant.adapters.deb.DebFixture;
import io.dormant.adapters.deb.DebFormatException;
import io.dormant.library.fs.ProcessOwner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
    void theLargestPackageIsDecodedFirstAndTheOthersInPlanOrder() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", deb("a.deb", 10));
        files.put("b", deb("b.deb", 1 << 20));
        files.put("c", deb("c.deb", 10));
        files.put("large", deb("large.deb", 3 << 20));
        files.put("e", deb("e.deb", 10));

        assertThat(DecompressedArchives.orderOfDecoding(files, 2).keySet()).containsExactly("large", "a", "b", "c", "e");
        assertThat(DecompressedArchives.orderOfDecoding(files, 1).keySet()).containsExactly("a", "b", "c", "large", "e");
    }

    /** The large package decodes ahead and fills the budget; the ones before it are still decoded and read. */
    @Test
    void aLargePackageLateInThePlanDoesNotStopTheOnesBeforeIt() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : java.util.List.of("a", "b", "c", "d")) {
            files.put(name, deb(name + ".deb", 512 << 10));
        }
        files.put("large", deb("large.deb", 4 << 20));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, 256 * 1024)) {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                try (InputStream in = archives.open(file.getKey())) {
                    assertThat(in.readAllBytes()).isEqualTo(decompressed(file.getValue()));
                }
            }
        }
    }

    @Test
    void theLargestDecodedAheadGoesOnWithThePlanAndAllReadAsDecompressed() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", deb("a.deb", 10));
        files.put("large", deb("large.deb", 2 << 20));
        files.put("c", deb("c.deb", 256 << 10));

        try (DecodeAhead ahead = DecodeAhead.largestOf(files, 1L << 30, null)) {
            DecompressedArchives started = ahead.takeFor(files);
            try (DecompressedArchives archives = started != null ? started : new DecompressedArchives(files, 1L << 30)) {
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    try (InputStream in = archives.open(file.getKey())) {
                        assertThat(in.readAllBytes()).isEqualTo(decompressed(file.getValue()));
                    }
                }
            }
            assertThat(ahead.takeFor(files)).as("handed over once").isNull();
        }
    }

    /** The plan leaves out the package decoded ahead: it stops, and gives back what it held. */
    @Test
    void aPackageDecodedAheadThatThePlanLeavesOutIsDropped() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("large", deb("large.deb", 3 << 20));
        files.put("b", deb("b.deb", 512 << 10));
        files.put("c", deb("c.deb", 512 << 10));
        Map<String, Path> plan = new LinkedHashMap<>(files);
        plan.remove("large");

        try (DecompressedArchives archives = new DecompressedArchives(DecompressedArchives.largest(files), 1L << 30, 128 * 1024)
                .andThen(plan)) {
            for (Map.Entry<String, Path> file : plan.entrySet()) {
                try (InputStream in = archives.open(file.getKey())) {
                    assertThat(in.readAllBytes()).isEqualTo(decompressed(file.getValue()));
                }
            }
        }
        try (DecodeAhead unused = DecodeAhead.largestOf(files, 1L << 30, null)) {
            assertThat(unused).isNotNull(); // closed unused: its decoder stops
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

    @Test
    void keptArchivesAreReadInsteadOfDecodedByTheNextApply() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a".repeat(64), deb("a.deb", 1 << 20));
        files.put("b".repeat(64), deb("b.deb", 10));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));

        readAll(files, cache);
        Path kept = cache.find("a".repeat(64));
        assertThat(kept).isNotNull();
        assertThat(Files.readAllBytes(kept)).isEqualTo(decompressed(files.get("a".repeat(64))));
        assertThat(cache.find("b".repeat(64))).isNotNull();
        try (var temps = Files.list(dir.resolve("cache"))) {
            assertThat(temps.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }

        // The package file is gone: only the kept archive can answer now.
        Files.delete(files.get("a".repeat(64)));
        readAll(files, cache);
    }

    @Test
    void theFileOfADecodingWhoseProcessIsGoneIsRemovedByTheNextApply() throws Exception {
        Path cacheDir = Files.createDirectories(dir.resolve("cache"));
        Process ended = new ProcessBuilder("true").start();
        ProcessOwner endedOwner = ProcessOwner.of(ended.toHandle());
        ended.waitFor();
        String sha = "c".repeat(64);
        Path abandoned = Files.write(cacheDir.resolve("." + sha + "." + endedOwner.asName() + ".123.tmp"), new byte[100]);
        Path running = Files.write(cacheDir.resolve("." + sha + "." + ProcessOwner.current().asName() + ".456.tmp"), new byte[1]);
        Path unnamedOld = Files.write(cacheDir.resolve("." + sha + "789.tmp"), new byte[1]);
        Files.setLastModifiedTime(unnamedOld, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path unnamedNew = Files.write(cacheDir.resolve("." + sha + "790.tmp"), new byte[1]);

        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a".repeat(64), deb("a.deb", 1 << 16));
        readAll(files, new DecodedDataCache(cacheDir));

        assertThat(abandoned).doesNotExist();
        assertThat(unnamedOld).doesNotExist();
        assertThat(running).exists();
        assertThat(unnamedNew).exists();
        assertThat(DecodedDataCache.sweepAbandoned(cacheDir)).isZero();
    }

    @Test
    void aDamagedKeptArchiveIsRefusedWithTheNextStepAndRemoved() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a".repeat(64), deb("a.deb", 1 << 20));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));
        readAll(files, cache);
        Path kept = cache.find("a".repeat(64));
        byte[] bytes = Files.readAllBytes(kept);
        bytes[bytes.length / 2] ^= 1;
        Files.write(kept, bytes);

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, cache)) {
            assertThatThrownBy(() -> archives.open("a".repeat(64))).isInstanceOf(IOException.class)
                    .hasMessageContaining("a.deb").hasMessageContaining("damaged").hasMessageContaining("Run the apply again");
        }
        assertThat(kept).doesNotExist();
        readAll(files, cache);
        assertThat(cache.find("a".repeat(64))).isNotNull();
    }

    @Test
    void anEntryNamedByAnEarlierCheckIsDroppedAndTheArchiveDecodedAfresh() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a".repeat(64), deb("a.deb", 1 << 20));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));
        Files.createDirectories(dir.resolve("cache"));
        Path legacy = Files.write(dir.resolve("cache/" + "a".repeat(64) + "-" + "0".repeat(64) + ".tar"), new byte[] {1, 2, 3});

        assertThat(cache.find("a".repeat(64))).isNull();
        assertThat(legacy).doesNotExist();
        readAll(files, cache);
        assertThat(cache.find("a".repeat(64)).getFileName().toString())
                .matches("a{64}-[0-9a-f]{8}-" + decompressed(files.get("a".repeat(64))).length + "\\.tar");
    }

    @Test
    void aKeptArchiveOfTheRightSizeButOtherBytesIsRefused() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a".repeat(64), deb("a.deb", 1 << 20));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));
        readAll(files, cache);
        Path kept = cache.find("a".repeat(64));
        assertThat(DecodedDataCache.checkOf(kept)).isEqualTo(kept.getFileName().toString().substring(65).replace(".tar", ""));
        byte[] bytes = Files.readAllBytes(kept);
        bytes[0] ^= (byte) 0x80;
        bytes[bytes.length - 1] ^= 1;
        Files.write(kept, bytes);

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, cache)) {
            assertThatThrownBy(() -> archives.open("a".repeat(64))).hasMessageContaining("damaged");
        }
    }

    @Test
    void aCorruptArchiveKeepsNothing() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        byte[] bad = DebFixture.good().replace("data.tar.xz", "not xz at all".getBytes()).bytes();
        files.put("c".repeat(64), Files.write(dir.resolve("bad.deb"), bad));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, cache)) {
            try (InputStream in = archives.open("c".repeat(64))) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(DebFormatException.class);
            }
        }
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    /** Decoded into the cache's file by the xz tool: a bomb stops at the limit, and nothing is kept. */
    @Test
    void anArchiveDecodedIntoTheCachePastTheLimitIsRefusedAndNotKept() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("d".repeat(64), deb("big.deb", 3 << 20));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1 << 20, cache)) {
            try (InputStream in = archives.open("d".repeat(64))) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(DebFormatException.class)
                        .hasMessageContaining("big.deb(data.tar.xz)").hasMessageContaining("decompresses to more than 1048576 bytes");
            }
        }
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    /** A truncated member decoded into the cache: the bytes before the cut read, then the error; nothing kept. */
    @Test
    void aTruncatedArchiveDecodedIntoTheCacheFailsAfterItsDataAndIsNotKept() throws IOException {
        byte[] xz = DebFixture.xz(noisyTar(2 << 20));
        byte[] cut = java.util.Arrays.copyOf(xz, xz.length / 2);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("e".repeat(64), Files.write(dir.resolve("cut.deb"), DebFixture.good().replace("data.tar.xz", cut).bytes()));
        DecodedDataCache cache = new DecodedDataCache(dir.resolve("cache"));

        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, cache)) {
            try (InputStream in = archives.open("e".repeat(64))) {
                byte[] start = in.readNBytes(4096);
                assertThat(start).hasSize(4096);
                assertThatThrownBy(in::readAllBytes).isInstanceOf(DebFormatException.class)
                        .hasMessageContaining("cut.deb(data.tar.xz)").hasMessageContaining("it is truncated");
            }
        }
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    /** A full disk under the decoded file is said as such, not blamed on the package. */
    @Test
    void aDecodedFileThatCannotBeWrittenSaysSoAndNamesThePackage() throws IOException {
        Path deb = deb("full.deb", 1 << 20);
        assertThatThrownBy(() -> DebArchiveReader.open(deb).extractDataTar(Path.of("/dev/full"), 1L << 30, size -> { }, () -> false))
                .isInstanceOf(IOException.class).isNotInstanceOf(DebFormatException.class)
                .hasMessageContaining("cannot write the decompressed data of full.deb to /dev/full")
                .hasMessageContaining("No space left on device");
    }

    /** Reads every archive through {@code cache} as an apply does, checking each against a fresh decode. */
    private static void readAll(Map<String, Path> files, DecodedDataCache cache) throws IOException {
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path kept = cache.find(file.getKey());
            expected.put(file.getKey(), kept != null ? Files.readAllBytes(kept) : decompressed(file.getValue()));
        }
        try (DecompressedArchives archives = new DecompressedArchives(files, 1L << 30, cache)) {
            for (String sha : files.keySet()) {
                try (InputStream in = archives.open(sha)) {
                    assertThat(in.readAllBytes()).isEqualTo(expected.get(sha));
                }
            }
        }
    }

    /** A deb whose data archive holds one file of {@code size} bytes that compress badly. */
    private Path deb(String name, int size) throws IOException {
        byte[] deb = DebFixture.good().replace("data.tar.xz", DebFixture.xz(noisyTar(size))).bytes();
        return Files.write(dir.resolve(name), deb);
    }

    /** A data tar holding one file of {@code size} bytes that compress badly. */
    private static byte[] noisyTar(int size) throws IOException {
        Map<String, String> data = new LinkedHashMap<>(DebFixture.dataFiles());
        StringBuilder noise = new StringBuilder(size);
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            noise.append((char) ('!' + random.nextInt(90)));
        }
        data.put("./usr/share/noise", noise.toString());
        return DebFixture.tar(data);
    }

    private static byte[] decompressed(Path deb) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebArchiveReader.open(deb).extractDataTar(out, 1L << 30);
        return out.toByteArray();
    }
}
