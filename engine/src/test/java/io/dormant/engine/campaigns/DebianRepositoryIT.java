package io.dormant.engine.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.engine.fixtures.UpdateSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a real repository as apt does, and refusing every byte that does not match its index. */
class DebianRepositoryIT {

    static final String UPDATES = System.getenv("DORMANT_TEST_UPDATES");

    @TempDir
    Path temp;

    @Test
    void offersThePackagesOfItsIndexAndDownloadsThemVerified() throws Exception {
        List<UpdateSet.Deb> debs = someUpdates();
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), files(debs))) {
            DebianRepository repository = DebianRepository.parse(repo.line());
            Map<String, List<DebianRepository.Offer>> index = repository.index(List.of("amd64"));

            assertThat(index).containsKeys(debs.get(0).name(), debs.get(1).name());
            DebianRepository.Offer first = index.get(debs.get(0).name()).get(0);
            assertThat(first.version().toString()).isEqualTo(debs.get(0).version());
            Path downloaded = repository.download(first, temp.resolve("cache"));
            assertThat(Files.mismatch(downloaded, debs.get(0).file())).isEqualTo(-1);
        }
    }

    @Test
    void aPackageThatDoesNotMatchItsIndexIsRefusedWithItsName() throws Exception {
        List<UpdateSet.Deb> debs = someUpdates();
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), files(debs))) {
            DebianRepository repository = DebianRepository.parse(repo.line());
            DebianRepository.Offer ldap = repository.index(List.of("amd64")).get(debs.get(1).name()).get(0);
            Path onMirror = repo.root().resolve(ldap.filename());
            byte[] bytes = Files.readAllBytes(onMirror);
            bytes[bytes.length / 2] ^= 1;
            Files.write(onMirror, bytes);

            assertThatThrownBy(() -> repository.download(ldap, temp.resolve("cache")))
                    .isInstanceOf(IOException.class).hasMessageContaining(ldap.filename())
                    .hasMessageContaining("does not match its index");
            assertThat(temp.resolve("cache").resolve(ldap.sha256() + ".deb")).doesNotExist();
        }
    }

    @Test
    void anIndexThatDoesNotMatchTheReleaseFileIsRefused() throws Exception {
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), files(someUpdates()))) {
            Path packages = repo.root().resolve("dists/" + LocalDebianRepository.SUITE + "/main/binary-amd64/Packages.xz");
            Files.write(packages, new byte[] {0}, StandardOpenOption.APPEND);

            assertThatThrownBy(() -> DebianRepository.parse(repo.line()).index(List.of("amd64")))
                    .hasMessageContaining("Packages.xz").hasMessageContaining("its index declares");
        }
    }

    @Test
    void aSourceLineMustNameUrlAndSuite() {
        assertThatThrownBy(() -> DebianRepository.parse("deb http://deb.debian.org/debian"))
                .hasMessageContaining("deb URL SUITE");
        assertThatThrownBy(() -> DebianRepository.parse("deb ftp://x/ bookworm")).hasMessageContaining("not http, https or file");
    }

    /** The two smallest packages of the real update set, whatever it holds today. */
    private static List<UpdateSet.Deb> someUpdates() {
        assumeTrue(UPDATES != null, "bin/test fetches the real update set");
        return UpdateSet.of(Path.of(UPDATES)).twoSmallest();
    }

    private static List<Path> files(List<UpdateSet.Deb> debs) {
        return debs.stream().map(UpdateSet.Deb::file).toList();
    }
}
