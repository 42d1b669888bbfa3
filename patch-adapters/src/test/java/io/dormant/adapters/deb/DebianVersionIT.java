package io.dormant.adapters.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks {@link DebianVersion} against the dpkg installed on this machine: thousands of generated
 * pairs are compared by both, and thousands of generated strings are parsed by both. All dpkg calls
 * of a test go into one shell script, so the test costs one process start plus dpkg's own runs.
 */
class DebianVersionIT {

    private static final long SEED = 20240521L;
    private static final int PAIRS = 3000;
    private static final int SYNTAX_SAMPLES = 1500;

    /** dpkg --compare-versions answers only by exit code; lt then eq tells all three apart. */
    private static final String COMPARE_FUNCTION = """
            c() {
              dpkg --compare-versions "$1" lt "$2" 2>/dev/null; r=$?
              if [ $r -eq 0 ]; then echo lt
              elif [ $r -ne 1 ]; then echo "error $r"
              elif dpkg --compare-versions "$1" eq "$2" 2>/dev/null; then echo eq
              else echo gt; fi
            }
            """;

    /** Exit code 2 is a syntax error; anything printed with exit code 0 is a syntax warning. */
    private static final String SYNTAX_FUNCTION = """
            s() {
              w=$(dpkg --compare-versions "$1" eq "$1" 2>&1); r=$?
              if [ $r -eq 2 ]; then echo refused
              elif [ $r -ne 0 ]; then echo "error $r"
              elif [ -n "$w" ]; then echo warned
              else echo accepted; fi
            }
            """;

    @TempDir
    Path work;

    @Test
    void comparesEveryGeneratedPairAsDpkgDoes() throws Exception {
        assumeDpkg();
        VersionGenerator generator = new VersionGenerator(new Random(SEED));
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            pairs.add(generator.pair());
        }

        List<String> dpkgSays = runDpkg(COMPARE_FUNCTION, pairs.stream().map(p -> "c " + quote(p[0]) + " " + quote(p[1])).toList());

        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String[] pair = pairs.get(i);
            String ours = relation(DebianVersion.parseLenient(pair[0]).compareTo(DebianVersion.parseLenient(pair[1])));
            if (!ours.equals(dpkgSays.get(i))) {
                disagreements.add(pair[0] + " " + dpkgSays.get(i) + " " + pair[1] + " says dpkg, we say " + ours);
            }
        }
        assertThat(disagreements).as("pairs where DebianVersion and dpkg disagree (seed %d)", SEED).isEmpty();
    }

    @Test
    void acceptsAndRefusesTheStringsDpkgAcceptsAndRefuses() throws Exception {
        assumeDpkg();
        VersionGenerator generator = new VersionGenerator(new Random(SEED + 1));
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < SYNTAX_SAMPLES; i++) {
            samples.add(i % 3 == 0 ? generator.version() : generator.noise());
        }

        List<String> dpkgSays = runDpkg(SYNTAX_FUNCTION, samples.stream().map(s -> "s " + quote(s)).toList());

        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            String sample = samples.get(i);
            String expectedStrict = dpkgSays.get(i).equals("accepted") ? "accepted" : "refused";
            String expectedLenient = dpkgSays.get(i).equals("refused") ? "refused" : "accepted";
            String strict = verdict(() -> DebianVersion.parse(sample));
            String lenient = verdict(() -> DebianVersion.parseLenient(sample));
            if (!strict.equals(expectedStrict) || !lenient.equals(expectedLenient)) {
                disagreements.add("'" + sample + "': dpkg " + dpkgSays.get(i) + ", parse " + strict + ", parseLenient " + lenient);
            }
        }
        assertThat(disagreements).as("strings where DebianVersion and dpkg disagree (seed %d)", SEED + 1).isEmpty();
        assertThat(dpkgSays).as("the samples should exercise every verdict").contains("accepted", "warned", "refused");
    }

    private List<String> runDpkg(String function, List<String> calls) throws IOException, InterruptedException {
        Path script = work.resolve("dpkg-calls.sh");
        Path output = work.resolve("dpkg-says.txt");
        Files.write(script, (function + String.join("\n", calls) + "\n").getBytes(StandardCharsets.UTF_8));
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString())
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dpkg script did not finish in 120 s: " + script);
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).as("one dpkg answer per call").hasSize(calls.size());
        assertThat(lines).as("dpkg failed on a generated string").noneMatch(line -> line.startsWith("error"));
        return lines;
    }

    private static void assumeDpkg() {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "dpkg")));
        assumeTrue(found, "dpkg is not on PATH; this test checks DebianVersion against dpkg --compare-versions");
    }

    /** The generators never produce a single quote, so single quotes are enough for the shell. */
    private static String quote(String s) {
        return "'" + s + "'";
    }

    private static String relation(int comparison) {
        return comparison < 0 ? "lt" : comparison == 0 ? "eq" : "gt";
    }

    private static String verdict(Runnable parse) {
        try {
            parse.run();
            return "accepted";
        } catch (DebianVersionSyntaxException e) {
            return "refused";
        }
    }
}
