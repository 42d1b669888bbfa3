package io.dormant.engine.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        List<Path> debs = someUpdates();
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), debs)) {
            DebianRepository repository = DebianRepository.parse(repo.line());
            Map<String, List<DebianRepository.Offer>> index = repository.index(List.of("amd64"));

            assertThat(index).containsKeys("libaprutil1-ldap", "libexpat1");
            DebianRepository.Offer expat = index.get("libexpat1").get(0);
            assertThat(expat.version().toString()).isEqualTo("2.5.0-1+deb12u5");
            Path downloaded = repository.download(expat, temp.resolve("cache"));
            assertThat(Files.mismatch(downloaded, debs.stream().filter(d -> d.toString().contains("libexpat1")).findFirst().get()))
                    .isEqualTo(-1);
        }
    }

    @Test
    void aPackageThatDoesNotMatchItsIndexIsRefusedWithItsName() throws Exception {
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), someUpdates())) {
            DebianRepository repository = DebianRepository.parse(repo.line());
            DebianRepository.Offer ldap = repository.index(List.of("amd64")).get("libaprutil1-ldap").get(0);
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
        try (LocalDebianRepository repo = LocalDebianRepository.serve(temp.resolve("repo"), someUpdates())) {
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

    private static List<Path> someUpdates() {
        assumeTrue(UPDATES != null, "bin/test fetches the real update set");
        return List.of(Path.of(UPDATES, "libaprutil1-ldap_1.6.3-1+deb12u1_amd64.deb"),
                Path.of(UPDATES, "libexpat1_2.5.0-1+deb12u5_amd64.deb"));
    }
}
