package io.dormant.sandbox.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the probe for real, with this machine's QEMU and /dev/kvm. Whether KVM works here is not
 * known in advance (nested KVM may hang), so the assertions are about consistency and time.
 */
class AcceleratorProbeIT {

    /** Killing a QEMU stuck in KVM and the JVM's process bookkeeping, on a busy CI machine. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private final Map<String, String> environment = new HashMap<>(System.getenv());
    private Path qemu;

    @BeforeEach
    void needsQemu() {
        environment.remove(AcceleratorProbe.OVERRIDE_VARIABLE);
        Optional<Path> found = probe(AcceleratorProbe.DEFAULT_TIMEOUT).findOnPath(AcceleratorProbe.QEMU);
        assumeTrue(found.isPresent(), "qemu-system-x86_64 is not on PATH; the CI script installs qemu-system-x86"
                + " (apt-get install -y qemu-system-x86) before this test");
        qemu = found.get();
    }

    @Test
    void theProbeGuestHaltsUnderTcg() throws Exception {
        CommandResult result = probe(Duration.ofSeconds(30)).runProbeGuest(qemu, Accelerator.TCG);

        assertThat(result.timedOut()).as("TCG probe guest timed out; output: %s", result.output()).isFalse();
        assertThat(result.exitCode()).as("exit code of the TCG probe guest; output: %s", result.output())
                .isEqualTo(ProbeGuest.EXIT_CODE);
    }

    @Test
    void probesThisMachineWithinItsTimeout() {
        long start = System.nanoTime();
        AcceleratorChoice choice = probe(AcceleratorProbe.DEFAULT_TIMEOUT).choose();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        System.out.println("AcceleratorProbe on this machine: " + choice + " in " + took.toMillis() + " ms");
        assertThat(took).isLessThan(AcceleratorProbe.DEFAULT_TIMEOUT.plus(MARGIN));
        assertThat(choice.reason()).isNotBlank();
        if (!Files.exists(Path.of("/dev/kvm"))) {
            assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        }
        if (choice.accelerator() == Accelerator.KVM) {
            assertThat(choice.reason()).startsWith("a probe guest ran and halted under KVM");
        }
    }

    @Test
    void aShortTimeoutStillEndsOnTime() {
        Duration timeout = Duration.ofMillis(1);

        long start = System.nanoTime();
        AcceleratorChoice choice = probe(timeout).choose();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(timeout.plus(MARGIN));
        Path kvm = Path.of("/dev/kvm");
        if (Files.isReadable(kvm) && Files.isWritable(kvm)) {
            assertThat(choice).isEqualTo(new AcceleratorChoice(Accelerator.TCG, "the KVM probe guest had not halted after 1 ms"
                    + " (nested KVM that hangs guests looks like this), so QEMU was killed"));
        }
    }

    @Test
    void theOverrideWins() {
        environment.put(AcceleratorProbe.OVERRIDE_VARIABLE, "tcg");

        assertThat(probe(AcceleratorProbe.DEFAULT_TIMEOUT).choose().accelerator()).isEqualTo(Accelerator.TCG);
    }

    private AcceleratorProbe probe(Duration timeout) {
        return new AcceleratorProbe(environment, Path.of("/dev/kvm"), new ProcessCommandRunner(), timeout);
    }
}
