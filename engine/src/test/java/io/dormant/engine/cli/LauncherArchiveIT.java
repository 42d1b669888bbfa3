package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The launcher ({@code ./dormant}) run on the packaged jar as after a build: it unpacks the jar
 * and, before the first command, archives the classes of {@code engine/src/main/cds/classlist},
 * so that the archive holds {@code patch apply}'s classes even when that command (here
 * {@code --version}) loads none of them.
 */
class LauncherArchiveIT {

    private final Path root = Path.of("..").toAbsolutePath().normalize();
    private final Path target = root.resolve("engine/target");

    @Test
    void theArchiveMadeAfterABuildHoldsTheClassesOfAnApply() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(target.resolve("dormant.jar")), "no packaged jar");
        // As after a build: nothing unpacked, no archive.
        run(List.of("rm", "-rf", target.resolve("app").toString(), target.resolve("app.jsa").toString()));

        ProcessBuilder launcher = new ProcessBuilder(root.resolve("dormant").toString(), "--version").redirectErrorStream(true);
        launcher.environment().put("DORMANT_NO_BUILD", "1");
        launcher.environment().remove("DORMANT_JAVA_OPTS");
        String version = run(launcher);
        assertThat(version).contains("dormant");
        assertThat(target.resolve("app.jsa")).isRegularFile();

        String archived = run(new ProcessBuilder("java", "-XX:SharedArchiveFile=" + target.resolve("app.jsa"),
                "-XX:+PrintSharedArchiveAndExit", "-jar", target.resolve("app/dormant.jar").toString()).redirectErrorStream(true));
        assertThat(archived).contains("io.dormant.engine.cli.PatchCommand", "io.dormant.adapters.deb.apply.DebApplier",
                "io.dormant.adapters.deb.apply.DebUnpacker", "io.dormant.library.store.ContentStore");
    }

    private static void run(List<String> command) throws Exception {
        run(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("finished: %s", builder.command()).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", builder.command(), text).isZero();
        return text;
    }
}
