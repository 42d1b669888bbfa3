package io.dormant.adapters.patching;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DebFixture;
import io.dormant.adapters.deb.DebPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package file read again is answered from the first read only while the file is the same. */
class ReadPackagesTest {

    @TempDir
    Path dir;

    @Test
    void anUnchangedFileIsNotReadAgain() throws IOException {
        Path deb = Files.write(dir.resolve("hello.deb"), DebFixture.good().bytes());

        DebPackage first = ReadPackages.read(deb, Duration.ZERO);

        assertThat(ReadPackages.read(deb, Duration.ZERO)).isSameAs(first);
    }

    @Test
    void aFileWrittenAgainIsReadAgain() throws IOException {
        Path deb = Files.write(dir.resolve("hello.deb"), DebFixture.good().bytes());
        DebPackage first = ReadPackages.read(deb, Duration.ZERO);

        Files.write(deb, DebFixture.good().replace("control.tar.gz", DebFixture.gzip(DebFixture.tar(
                DebFixture.controlFiles(DebFixture.CONTROL.replace("Version: 2.10-3", "Version: 2.10-4"))))).bytes());

        DebPackage second = ReadPackages.read(deb, Duration.ZERO);
        assertThat(second.version().toString()).isEqualTo("2.10-4");
        assertThat(second.sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void theLeastRecentlyReadGoFirstOnceTheirControlArchivesPassTheBound() throws IOException {
        // 72 packages with a megabyte of templates each: more than the 64 MB kept.
        Map<String, String> control = new LinkedHashMap<>(DebFixture.controlFiles(DebFixture.CONTROL));
        control.put("./templates", "Template: hello/question\nType: note\nDescription: x\n".repeat(20_000));
        byte[] controlTar = DebFixture.gzip(DebFixture.tar(control));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 72; i++) {
            files.add(Files.write(dir.resolve("hello-" + i + ".deb"), DebFixture.good().replace("control.tar.gz", controlTar)
                    .replace("data.tar.xz", DebFixture.xz(DebFixture.tar(Map.of("./n", String.valueOf(i))))).bytes()));
        }
        List<DebPackage> first = new ArrayList<>();
        for (Path file : files) {
            first.add(ReadPackages.read(file, Duration.ZERO));
        }

        assertThat(ReadPackages.read(files.get(71), Duration.ZERO)).isSameAs(first.get(71));
        assertThat(ReadPackages.read(files.get(0), Duration.ZERO)).isNotSameAs(first.get(0));
    }

    @Test
    void aFileChangedJustNowIsNotKeptForTheNextRead() throws IOException {
        // Its times could stay the same through another write within the file system's clock tick.
        Path deb = Files.write(dir.resolve("hello.deb"), DebFixture.good().bytes());

        DebPackage first = ReadPackages.read(deb);

        DebPackage second = ReadPackages.read(deb);
        assertThat(second).isNotSameAs(first);
        assertThat(second.sha256()).isEqualTo(first.sha256());
    }
}
