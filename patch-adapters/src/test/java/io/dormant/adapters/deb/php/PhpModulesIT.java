package io.dormant.adapters.deb.php;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.HelperCall;
import io.dormant.adapters.confine.HelperReply;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * phpenmod and phpdismod as PHP's maintainer scripts and admins call them, one after another: run
 * by the image's own script over one overlay of a real image with PHP, and answered by
 * {@link PhpModules} over another. After each call the exit codes, the warnings and every file under
 * {@code /etc/php} and {@code /var/lib/php} (type, mode, owner, content, link target) must be the
 * same. Then a script calls both through the confine tier's shims, by their names, and must leave
 * the same tree as when it runs unanswered.
 */
class PhpModulesIT {

    private static final List<String> TREES = List.of("etc/php", "var/lib/php");

    private Path scratch;
    private Path image;
    private String version;

    @BeforeEach
    void scratch() throws Exception {
        image = PhpFixture.imageWith("phpenmod");
        try (Stream<Path> versions = Files.list(image.resolve("etc/php"))) {
            version = versions.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+\\.[0-9]+"))
                    .findFirst().orElseThrow();
        }
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "phpmodules-it");
    }

    @AfterEach
    void remove() throws Exception {
        if (scratch != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", scratch.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void changesWhatTheImagesOwnScriptChanges() throws Exception {
        List<String> modules = modules();
        String a = modules.get(0);
        String b = modules.get(1);
        String c = modules.get(2);
        // A module enabled for cli, whose link an administrator points elsewhere: both commands must leave it, with a warning.
        String link;
        try (Stream<Path> links = Files.list(image.resolve("etc/php/" + version + "/cli/conf.d"))) {
            link = links.filter(Files::isSymbolicLink).map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith("-" + a + ".ini") && !n.endsWith("-" + b + ".ini") && !n.endsWith("-" + c + ".ini"))
                    .sorted().findFirst().orElseThrow();
        }
        String d = link.substring(link.indexOf('-') + 1, link.length() - ".ini".length());
        List<List<String>> calls = List.of(
                List.of("phpenmod", "-q", "-v", version, "-m", "-r", a),
                List.of("phpenmod", "-m", "-v", version, "-s", "fpm", "-q", a),
                List.of("phpdismod", "-m", "-v", version, "-s", "cli", "-q", a),
                List.of("phpdismod", "-v", version, "-s", "fpm", b),
                List.of("phpenmod", "-m", "-v", version, "-s", "fpm", "-q", b),
                List.of("phpenmod", "-v", version, b),
                List.of("phpenmod", "-v", version, "-s", "fpm", "no-such-module"),
                List.of("phpdismod", "-r", "-v", version, c),
                List.of("phpenmod", "-m", "-v", version, "-s", "cli", "-q", d),
                List.of("phpdismod", "-v", version, "-s", "cli", d),
                List.of("phpenmod", "-m", "-q", "-r", c));
        try (OverlayMount real = OverlayMount.mount(image, scratch.resolve("real"));
             OverlayMount emulated = OverlayMount.mount(image, scratch.resolve("emulated"))) {
            for (Path tree : List.of(real.merged(), emulated.merged())) {
                Path confd = tree.resolve("etc/php/" + version + "/cli/conf.d");
                Files.delete(confd.resolve(link));
                Files.createSymbolicLink(confd.resolve(link), Path.of("/etc/php/elsewhere.ini"));
                Files.writeString(tree.resolve("etc/php/elsewhere.ini"), "; the administrator's\n");
            }
            PhpModules answering = new PhpModules(() -> true);
            List<String> warnings = new ArrayList<>();
            for (List<String> call : calls) {
                Result byScript = run(real.merged(), call);
                Optional<HelperReply> reply = answering.answer(emulated.merged(),
                        new HelperCall(call.get(0), call.subList(1, call.size()), Map.of()));
                assertThat(reply).as("answered: %s", call).isPresent();
                assertThat(reply.get().exitCode()).as("exit code of %s", call).isEqualTo(byScript.exitCode());
                assertThat(reply.get().stderr()).as("warnings of %s", call).isEqualTo(byScript.stderr());
                assertThat(describe(emulated.merged())).as("the tree after %s", call).isEqualTo(describe(real.merged()));
                warnings.add(byScript.stderr());
            }
            assertThat(String.join("", warnings)).contains("was disabled by local administrator", "doesn't exist",
                    "modified by local administrator");
        }
    }

    @Test
    void answersBothNamesThroughTheShims() throws Exception {
        String a = modules().get(0);
        byte[] script = ("#!/bin/sh\nset -e\nphpdismod -m -v " + version + " -s cli -q " + a + "\n"
                + "phpenmod -m -v " + version + " -s fpm -q " + a + "\n").getBytes(StandardCharsets.UTF_8);
        ScriptInvocation invocation = ScriptInvocation.of("php-common", "postinst", script, List.of("configure", ""));
        try (OverlayMount real = OverlayMount.mount(image, scratch.resolve("real"));
             OverlayMount emulated = OverlayMount.mount(image, scratch.resolve("emulated"))) {
            ConfinedResult byScript = new ConfinedScript().run(real.merged(), invocation);
            ConfinedResult answered = new ConfinedScript().answering(new PhpModules(() -> true)).run(emulated.merged(), invocation);
            assertThat(byScript.exitCode()).as(byScript.output()).isZero();
            assertThat(answered.exitCode()).as(answered.output()).isZero();
            assertThat(answered.helperCalls()).hasSize(2);
            assertThat(answered.helperCalls().get(0)).startsWith("phpdismod ");
            assertThat(answered.helperCalls().get(1)).startsWith("phpenmod ");
            assertThat(describe(emulated.merged())).isEqualTo(describe(real.merged()));
        }
    }

    private List<String> modules() throws Exception {
        try (Stream<Path> ini = Files.list(image.resolve("etc/php/" + version + "/mods-available"))) {
            return ini.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ini"))
                    .map(n -> n.substring(0, n.length() - ".ini".length())).sorted().toList();
        }
    }

    private record Result(int exitCode, String stderr) {
    }

    /** The image's own script, by the name it is called with, in a sandbox over the tree. */
    private static Result run(Path tree, List<String> call) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/bwrap", "--bind", tree.toString(), "/", "--proc", "/proc",
                "--dev", "/dev", "--tmpfs", "/tmp", "--unshare-net", "--die-with-parent", "--chdir", "/",
                "/usr/sbin/" + call.get(0)));
        command.addAll(call.subList(1, call.size()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), err);
    }

    /** Every path under the PHP trees: type, mode, owner, and content or link target. */
    private static Map<String, String> describe(Path tree) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String top : TREES) {
            Path start = tree.resolve(top);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(start)) {
                for (Path path : walk.toList()) {
                    Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                    String head = Integer.toOctalString((Integer) unix.get("mode")) + " " + unix.get("uid") + ":" + unix.get("gid");
                    String what = Files.isSymbolicLink(path) ? "-> " + Files.readSymbolicLink(path)
                            : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "dir"
                            : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
                    out.put(tree.relativize(path).toString(), head + " " + what);
                }
            }
        }
        return out;
    }
}
