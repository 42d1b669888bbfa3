package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void aLogGetsOneLinePerStepAndTheCountsOfTheStepThatCounts() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ConsoleProgress progress = new ConsoleProgress("starting", out, true)) {
            progress.phase("configuring bind9 (13 of 32)");
            Thread.sleep(2300);
            progress.phase("checking out web@3");
            progress.advance(1200, 5L << 20);
            Thread.sleep(1300);
        }
        String log = bytes.toString(StandardCharsets.UTF_8);

        // A step that counts nothing is written once, however long it runs.
        assertThat(log.lines().filter(l -> l.equals("configuring bind9 (13 of 32)"))).hasSize(1);
        assertThat(log).contains("checking out web@3: 1,200 files, 5.0 MiB");
        assertThat(log).doesNotContain("starting");
    }
}
