package io.dormant.adapters.deb.php;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.confine.OverlayMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every query PHP's maintainer scripts make, answered by {@link PhpQuery} and by the image's own
 * phpquery run in a sandbox over the same tree: the exit code and the output must be the same. On
 * a real image with PHP (the fidelity fixtures' Debian 13 or bookworm "third" image), as it is and
 * after the states a module can be in were made by hand: disabled and enabled by the administrator
 * or a maintainer script, its link pointing elsewhere, a file instead of the link, its ini missing.
 */
class PhpQueryIT {

    private Path scratch;
    private Path image;

    @BeforeEach
    void scratch() throws Exception {
        image = PhpFixture.imageWith("phpquery");
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "phpquery-it");
    }

    @AfterEach
    void remove() throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void answersAsTheImagesOwnPhpquery() throws Exception {
        try (OverlayMount overlay = OverlayMount.mount(image, scratch.resolve("tree"))) {
            Path tree = overlay.merged();
            String version = firstLine(run(tree, List.of("-V")).output());
            List<String> sapis = run(tree, List.of("-S", "-v", version)).output().lines().toList();
            List<String> modules;
            try (Stream<Path> ini = Files.list(tree.resolve("etc/php/" + version + "/mods-available"))) {
                modules = ini.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ini"))
                        .map(n -> n.substring(0, n.length() - ".ini".length())).sorted().toList();
            }
            assertThat(sapis).isNotEmpty();
            assertThat(modules).hasSizeGreaterThan(5);

            // The states a module can be in, made by hand on the first SAPI.
            String sapi = sapis.get(0);
            Path confd = tree.resolve("etc/php/" + version + "/" + sapi + "/conf.d");
            Path state = tree.resolve("var/lib/php/modules/" + version + "/" + sapi);
            String adminDisabled = modules.get(0);
            String maintDisabled = modules.get(1);
            String relinked = modules.get(2);
            String regular = modules.get(3);
            String adminEnabled = modules.get(4);
            for (String module : List.of(adminDisabled, maintDisabled, relinked, regular)) {
                try (Stream<Path> links = Files.list(confd)) {
                    for (Path link : links.filter(p -> p.getFileName().toString().endsWith("-" + module + ".ini")).toList()) {
                        Files.delete(link);
                    }
                }
            }
            touch(state.resolve("disabled_by_admin/" + adminDisabled));
            touch(state.resolve("disabled_by_maint/" + maintDisabled));
            touch(state.resolve("enabled_by_admin/" + adminEnabled));
            Files.createSymbolicLink(confd.resolve("20-" + relinked + ".ini"), Path.of("/etc/php/elsewhere.ini"));
            Files.writeString(tree.resolve("etc/php/elsewhere.ini"), "; moved\n");
            Files.writeString(confd.resolve("20-" + regular + ".ini"), "extension=" + regular + ".so\n");

            List<List<String>> queries = new ArrayList<>(List.of(List.of("-V"), List.of("-q", "-V"), List.of("-S", "-v", version),
                    List.of("-v", version), List.of("-q", "-v", version), List.of("-v", version, "-s", sapi),
                    List.of("-v", version, "-s", "no-such-sapi"), List.of("-v", "9.9"), List.of("-v", version, "-s", sapi, "-m", "no-such-module")));
            for (String each : sapis) {
                for (String module : modules) {
                    queries.add(List.of("-v", version, "-s", each, "-m", module));
                    queries.add(List.of("-q", "-v", version, "-s", each, "-m", module));
                }
            }
            PhpQuery emulation = new PhpQuery();
            int answered = 0;
            List<Integer> codes = new ArrayList<>();
            for (List<String> query : queries) {
                Optional<HelperReply> reply = emulation.answer(tree, new HelperCall("phpquery", query, Map.of()));
                Result real = run(tree, query);
                if (reply.isEmpty()) {
                    continue;
                }
                answered++;
                codes.add(real.exitCode());
                assertThat(reply.get().exitCode()).as("exit code of phpquery %s", query).isEqualTo(real.exitCode());
                assertThat(reply.get().stdout()).as("output of phpquery %s", query).isEqualTo(real.output());
            }
            assertThat(answered).as("queries answered").isGreaterThan(queries.size() - 3);
            assertThat(codes).as("exit codes met").contains(0, 1, 32, 33, 34);
        }
    }

    @Test
    void leavesWhatItDoesNotFollowToTheImage() throws Exception {
        PhpQuery emulation = new PhpQuery();
        List<List<String>> unfollowed = List.of(List.of("-M", "-v", "ALL", "-s", "ALL"), List.of("-vx"),
                List.of("-v", "8.4", "extra"), List.of("-V", "-S"), List.<String>of(), List.of("-s", "fpm"),
                List.of("-v", "8.4", "-m", "a;b"));
        for (List<String> query : unfollowed) {
            assertThat(emulation.answer(image, new HelperCall("phpquery", query, Map.of()))).as("%s", query).isEmpty();
        }
    }

    private static void touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElseThrow();
    }

    private record Result(int exitCode, String output) {
    }

    /** The image's own phpquery, the tree read-only, as a script's call would run it. */
    private static Result run(Path tree, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/bwrap", "--ro-bind", tree.toString(), "/", "--proc", "/proc",
                "--dev", "/dev", "--tmpfs", "/tmp", "--unshare-net", "--die-with-parent", "--chdir", "/", "/usr/sbin/phpquery"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out);
    }
}
