package io.dormant.adapters.patching;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DebFixture;
import io.dormant.adapters.deb.DebPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void aFileChangedJustNowIsNotKeptForTheNextRead() throws IOException {
        // Its times could stay the same through another write within the file system's clock tick.
        Path deb = Files.write(dir.resolve("hello.deb"), DebFixture.good().bytes());

        DebPackage first = ReadPackages.read(deb);

        DebPackage second = ReadPackages.read(deb);
        assertThat(second).isNotSameAs(first);
        assertThat(second.sha256()).isEqualTo(first.sha256());
    }
}
