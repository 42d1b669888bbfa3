package io.dormant.adapters.deb.ucf;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls {@link UcfHelpers} leaves to the image's own ucf: whatever it does not follow exactly
 * changes nothing and answers empty. (What it follows is compared with ucf itself in UcfEmulationIT.)
 */
class UcfHelpersTest {

    @TempDir
    Path root;

    @BeforeEach
    void image() throws Exception {
        Files.createDirectories(root.resolve("var/lib/ucf/cache"));
        Files.createDirectories(root.resolve("usr/share/pkg"));
        Files.createDirectories(root.resolve("etc/pkg"));
        Files.writeString(root.resolve("usr/share/pkg/a.conf"), "v2\n");
        Files.writeString(root.resolve("etc/pkg/a.conf"), "local\n");
        Files.writeString(root.resolve("var/lib/ucf/hashfile"), md5("v2\n") + "  /etc/pkg/a.conf\n");
        Files.writeString(root.resolve("var/lib/ucf/registry"), "pkg \t /etc/pkg/a.conf\n");
    }

    @Test
    void theRegisteredVersionBeingTheNewOneIsAnsweredWithoutChange() throws Exception {
        Optional<HelperReply> reply = ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf");

        assertThat(reply).get().extracting(HelperReply::exitCode).isEqualTo(0);
        assertThat(root.resolve("etc/pkg/a.conf")).hasContent("local");
        assertThat(root.resolve("var/lib/ucf/hashfile.0")).doesNotExist();
        assertThat(call("ucfr", List.of("pkg", "/etc/pkg/a.conf"), Map.of())).isPresent();
    }

    @Test
    void settingsInUcfConfOrTheEnvironmentLeaveTheCallToUcf() throws Exception {
        assertThat(call("ucf", List.of("/usr/share/pkg/a.conf", "/etc/pkg/a.conf"), Map.of("UCF_FORCE_CONFFNEW", "1"))).isEmpty();
        assertThat(call("ucf", List.of("/usr/share/pkg/a.conf", "/etc/pkg/a.conf"), Map.of("DPKG_ROOT", "/target"))).isEmpty();
        Files.writeString(root.resolve("etc/ucf.conf"), "# comments are fine\n\nconf_force_conffold=YES\n");
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf")).isEmpty();
    }

    @Test
    void optionsArgumentsAndPathsOutsideThePlainCaseLeaveTheCallToUcf() throws Exception {
        assertThat(call("ucf", List.of("--purge", "/etc/pkg/a.conf"), Map.of())).isEmpty();
        assertThat(call("ucf", List.of("--src-dir", "/x", "/usr/share/pkg/a.conf", "/etc/pkg/a.conf"), Map.of())).isEmpty();
        assertThat(ucf("/usr/share/pkg/../pkg/a.conf", "/etc/pkg/a.conf")).isEmpty();
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/missing.conf")).isEmpty();
        Files.writeString(root.resolve("etc/pkg/with space.conf"), "x\n");
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/with space.conf")).isEmpty();
        Files.createSymbolicLink(root.resolve("etc/pkg/link.conf"), Path.of("a.conf"));
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/link.conf")).isEmpty();
    }

    @Test
    void aDivertedFileLeavesTheCallToUcf() throws Exception {
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(root.resolve("var/lib/dpkg/diversions"), "/etc/pkg/a.conf\n/etc/pkg/a.conf.distrib\nother\n");

        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf")).isEmpty();
    }

    @Test
    void recordsThatGrepWouldReadOtherwiseLeaveTheCallToUcf() throws Exception {
        Files.writeString(root.resolve("var/lib/ucf/hashfile"),
                md5("v2\n") + "  /etc/pkg/a.conf\n" + md5("v1\n") + "  /etc/pkg/a.conf\n");
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf")).as("registered twice").isEmpty();

        Files.write(root.resolve("var/lib/ucf/hashfile"), (md5("v2\n") + "  /etc/pkg/a.conf\n\u00ff")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf")).as("not UTF-8: grep calls it binary").isEmpty();

        Files.delete(root.resolve("var/lib/ucf/hashfile"));
        assertThat(ucf("/usr/share/pkg/a.conf", "/etc/pkg/a.conf")).as("no hashfile").isEmpty();
    }

    @Test
    void ucfrLeavesEverythingButAnAssociationAlreadyRecordedToUcfr() throws Exception {
        assertThat(call("ucfr", List.of("other", "/etc/pkg/a.conf"), Map.of())).as("another package").isEmpty();
        assertThat(call("ucfr", List.of("--purge", "pkg", "/etc/pkg/a.conf"), Map.of())).isEmpty();
        Files.writeString(root.resolve("var/lib/ucf/registry"), "pkg \t /etc/pkg/a.conf\npkg \t /etc/pkg/a.conf\n");
        assertThat(call("ucfr", List.of("pkg", "/etc/pkg/a.conf"), Map.of())).as("corrupt: ucfr exits 2").isEmpty();
        // ucfr's pattern takes '.' as any character, so this line is the file's entry to ucfr.
        Files.writeString(root.resolve("var/lib/ucf/registry"), "pkg \t /etc/pkgXa.conf\n");
        Files.writeString(root.resolve("etc/pkg.a.conf"), "x\n");
        assertThat(call("ucfr", List.of("pkg", "/etc/pkg.a.conf"), Map.of())).isPresent();
    }

    @Test
    void thePolicyCanKeepUcfConfined() throws Exception {
        assertThat(new UcfHelpers(() -> false).answer(root,
                new HelperCall("ucf", List.of("/usr/share/pkg/a.conf", "/etc/pkg/a.conf"), Map.of()))).isEmpty();
    }

    private Optional<HelperReply> ucf(String newFile, String dest) throws Exception {
        return call("ucf", List.of(newFile, dest), Map.of());
    }

    private Optional<HelperReply> call(String command, List<String> args, Map<String, String> env) throws Exception {
        return new UcfHelpers(() -> true).answer(root, new HelperCall(command, args, env));
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
