package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.rootfs.RootedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * ca-certificates' postinst, emulated, against the real script on the real service image with the
 * real new package unpacked over it (its certificates, its update-ca-certificates, its postinst,
 * config and templates in /var/lib/dpkg/info): both runs start from the same staged copy, each over
 * its own overlay, and every path either changed is compared (type, mode, owner, content, target),
 * hash links and bundle included.
 */
@TestInstance(Lifecycle.PER_CLASS)
class CaCertificatesEmulationIT {

    private static final String POSTINST = "/var/lib/dpkg/info/ca-certificates.postinst";

    private Path scratch;
    private Path stage;

    @BeforeAll
    void stage() throws Exception {
        scratch = EmulateFixture.scratch("cacert-it");
        Path deb = CaCertificatesStage.newPackage();
        stage = CaCertificatesStage.unpacked(EmulateFixture.serviceImage(), deb, scratch.resolve("stage"));
    }

    @AfterAll
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void triggeredWithALocalCertificateAndADeselectedOne() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("configured"));
        Map<String, String> effect = compare(lower, "trigger", List.of("triggered", "update-ca-certificates"));
        assertThat(effect).containsKey("/etc/ssl/certs/ca-certificates.crt")
                .containsEntry("/etc/ssl/certs/ISRG_Root_X2.pem", "absent")
                .containsKey("/etc/ssl/certs/Dormant_Test_Root_=local=.pem")
                .containsKey("/etc/ssl/certs/My_Copy_of_ISRG_Root_X1.pem");
    }

    /**
     * With ca-certificates-java's hook (a copy of bookworm's, in the test resources): the added and
     * removed links are appended to its pending list and its trigger is activated, as the hook does.
     */
    @Test
    void triggeredWithTheJavaKeystoreHook() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("java-hook"));
        Path hook = Files.createDirectories(lower.resolve("etc/ca-certificates/update.d")).resolve("jks-keystore");
        try (java.io.InputStream in = getClass().getResourceAsStream("jks-keystore")) {
            Files.copy(in, hook);
        }
        Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> effect = compare(lower, "java-hook", List.of("triggered", "update-ca-certificates"));
        assertThat(effect).containsKeys("/var/lib/ca-certificates-java", "/var/lib/ca-certificates-java/pending",
                "/var/lib/dpkg/triggers/Unincorp");
        String pending = Files.readString(scratch.resolve("java-hook/emulated/upper/var/lib/ca-certificates-java/pending"));
        assertThat(pending).contains("+/etc/ssl/certs/Dormant_Test_Root_=local=.pem\n").contains("-/etc/ssl/certs/ISRG_Root_X2.pem\n");
    }

    @Test
    void triggeredFresh() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("configured-fresh"));
        compare(lower, "fresh", List.of("triggered", "update-ca-certificates-fresh"));
    }

    /**
     * The upgrade of the fixture, 20230311+deb12u1 to 20250419~deb12u2: new certificates appear and
     * are trusted (trust_new_crts: yes), removed ones are deselected, debconf's two files are rewritten.
     */
    @Test
    void configureAfterAnUpgrade() throws Exception {
        Path lower = copy(stage, scratch.resolve("upgrade-lower"));
        Map<String, String> effect = compare(lower, "configure", List.of("configure", "20230311+deb12u1"));
        assertThat(effect).containsKeys("/etc/ca-certificates.conf", "/etc/ca-certificates.conf.dpkg-old",
                "/var/cache/debconf/config.dat", "/var/cache/debconf/templates.dat",
                "/var/lib/dpkg/triggers/Unincorp", "/etc/ssl/certs/ca-certificates.crt");
    }

    /** A certificate the admin deselected stays deselected; local ones are linked; the local directory gets /usr/local's mode. */
    @Test
    void configureWithALocalCertificateAndADeselectedOne() throws Exception {
        Path lower = CaCertificatesStage.configuredWithLocalAndDeselected(stage, scratch.resolve("configure-local"));
        java.nio.file.attribute.PosixFileAttributeView dir = Files.getFileAttributeView(
                lower.resolve("usr/local/share/ca-certificates"), java.nio.file.attribute.PosixFileAttributeView.class);
        dir.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
        Map<String, String> effect = compare(lower, "configure-local", List.of("configure", "20230311+deb12u1"));
        assertThat(effect).containsKey("/usr/local/share/ca-certificates")
                .containsKey("/etc/ssl/certs/Dormant_Test_Root_=local=.pem")
                .containsEntry("/etc/ssl/certs/ISRG_Root_X2.pem", "absent");
    }

    /** A missing local directory is created; an answer of ask with new certificates is left to the real script. */
    @Test
    void configureCreatesTheLocalDirectoryAndRefusesAsk() throws Exception {
        Path lower = copy(stage, scratch.resolve("no-local"));
        EmulateFixture.remove(lower.resolve("usr/local/share/ca-certificates"));
        Map<String, String> effect = compare(lower, "no-local", List.of("configure", "20230311+deb12u1"));
        assertThat(effect).containsKey("/usr/local/share/ca-certificates");

        Path ask = withTrustNew(copy(stage, scratch.resolve("ask")), "ask");
        byte[] script = Files.readAllBytes(ask.resolve(POSTINST.substring(1)));
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(ask)).read(script,
                new ScriptCall("ca-certificates", "postinst", List.of("configure", "20230311+deb12u1")));
        assertThat(emulation.unknown()).isEqualTo("ca-certificates: trust_new_crts is ask and there are new certificates to ask about");
    }

    /**
     * Another package's password questions in passwords.dat (slapd keeps its admin password
     * there): debconf leaves the file as it is, and so does the emulation.
     */
    @Test
    void configureBesideAnotherPackagesPasswordQuestions() throws Exception {
        Path lower = copy(stage, scratch.resolve("passwords-lower"));
        Files.writeString(lower.resolve("var/cache/debconf/passwords.dat"), PASSWORDS);
        Map<String, String> effect = compare(lower, "passwords", List.of("configure", "20230311+deb12u1"));
        assertThat(effect).containsKey("/var/cache/debconf/config.dat").doesNotContainKey("/var/cache/debconf/passwords.dat");
    }

    /** A question the postinst asks about, found in passwords.dat: the stack would read it there, so the real script runs. */
    @Test
    void aQuestionOfThePackageInPasswordsIsLeftToTheRealScript() throws Exception {
        Path lower = copy(stage, scratch.resolve("passwords-own"));
        Files.writeString(lower.resolve("var/cache/debconf/passwords.dat"), PASSWORDS
                + "\nName: ca-certificates/trust_new_crts\nTemplate: ca-certificates/trust_new_crts\nValue: yes\nOwners: ca-certificates\n");
        byte[] script = Files.readAllBytes(lower.resolve(POSTINST.substring(1)));
        ScriptEmulation emulation = new ScriptReader(new RootedFiles(lower)).read(script,
                new ScriptCall("ca-certificates", "postinst", List.of("configure", "20230311+deb12u1")));
        assertThat(emulation.unknown()).contains("the question ca-certificates/trust_new_crts is in /var/cache/debconf/passwords.dat");
    }

    private static final String PASSWORDS = """
            Name: slapd/internal/adminpw
            Template: slapd/internal/adminpw
            Value:\s
            Owners: slapd

            Name: slapd/password1
            Template: slapd/password1
            Value:\s
            Owners: slapd
            """;

    /** trust_new_crts: no: the new certificates of the upgrade are listed deselected, and not linked. */
    @Test
    void configureWithNewCertificatesNotTrusted() throws Exception {
        Path lower = withTrustNew(copy(stage, scratch.resolve("distrust-lower")), "no");
        Map<String, String> effect = compare(lower, "distrust", List.of("configure", "20230311+deb12u1"));
        assertThat(effect).containsKeys("/etc/ca-certificates.conf", "/var/cache/debconf/config.dat")
                .doesNotContainKey("/etc/ssl/certs/BJCA_Global_Root_CA1.pem");
    }

    private static Path withTrustNew(Path tree, String answer) throws Exception {
        Path config = tree.resolve("var/cache/debconf/config.dat");
        String question = "Name: ca-certificates/trust_new_crts\nTemplate: ca-certificates/trust_new_crts\nValue: ";
        String text = Files.readString(config, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains(question + "yes\n");
        Files.writeString(config, text.replace(question + "yes\n", question + answer + "\n"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return tree;
    }

    private static Path copy(Path from, Path to) throws Exception {
        Process process = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
        assertThat(process.waitFor()).isZero();
        return to;
    }

    /** Runs the call for real over one overlay of lower and emulated over another; answers the (equal) effect. */
    private Map<String, String> compare(Path lower, String name, List<String> args) throws Exception {
        byte[] script = Files.readAllBytes(lower.resolve(POSTINST.substring(1)));
        Path dir = Files.createDirectories(scratch.resolve(name));
        try (OverlayMount real = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(lower, Files.createDirectories(dir.resolve("emulated")))) {
            long start = System.nanoTime();
            ConfinedResult result = new ConfinedScript().run(real.merged(),
                    ScriptInvocation.of("ca-certificates", "postinst", script, args).at(POSTINST).withArchitecture("all"));
            long confined = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.succeeded()).as(result.output()).isTrue();

            start = System.nanoTime();
            RootedFiles tree = new RootedFiles(emulated.merged());
            ScriptEmulation emulation = new ScriptReader(tree).read(script, new ScriptCall("ca-certificates", "postinst", args));
            assertThat(emulation.isKnown()).as(emulation.unknown()).isTrue();
            for (EmulatedAction action : emulation.actions()) {
                action.effect().perform(tree);
            }
            long emulatedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("ca-certificates postinst %s (%s): confined %d ms, emulated %d ms%n", args, name, confined, emulatedMillis);

            Map<String, String> realEffect = EmulateFixture.effect(real);
            assertThat(EmulateFixture.effect(emulated)).isEqualTo(realEffect);
            System.out.printf("  %d paths changed, all equal (%d under /etc/ssl/certs)%n", realEffect.size(),
                    realEffect.keySet().stream().filter(p -> p.startsWith("/etc/ssl/certs/")).count());
            realEffect.keySet().stream().filter(p -> !p.startsWith("/etc/ssl/certs/")).forEach(p -> System.out.println("  " + p));
            return realEffect;
        }
    }
}
