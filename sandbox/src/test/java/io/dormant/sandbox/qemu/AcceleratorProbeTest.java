package io.dormant.sandbox.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision logic, with a fake QEMU on a fake PATH, a fake /dev/kvm and a runner that only pretends. */
class AcceleratorProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Path bin;
    private Path kvm;
    private final Map<String, String> environment = new HashMap<>();
    private final FakeRunner runner = new FakeRunner();

    @BeforeEach
    void aMachineWithQemuAndKvm() throws IOException {
        bin = Files.createDirectory(dir.resolve("bin"));
        Path qemu = Files.createFile(bin.resolve(AcceleratorProbe.QEMU));
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        kvm = Files.createFile(dir.resolve("kvm"));
        environment.put("PATH", dir.resolve("elsewhere") + ":" + bin);
    }

    @Test
    void choosesKvmWhenTheProbeGuestHalts() {
        runner.answer = CommandResult.exited(ProbeGuest.EXIT_CODE, "", Duration.ofMillis(120));

        AcceleratorChoice choice = probe().choose();

        assertThat(choice).isEqualTo(new AcceleratorChoice(Accelerator.KVM, "a probe guest ran and halted under KVM in 120 ms"));
        assertThat(runner.commands).singleElement().satisfies(command -> {
            assertThat(command.get(0)).isEqualTo(bin.resolve(AcceleratorProbe.QEMU).toString());
            assertThat(String.join(" ", command)).contains("-accel kvm", "-device isa-debug-exit,iobase=0xf4,iosize=0x04");
        });
        assertThat(runner.timeouts).containsExactly(TIMEOUT);
    }

    @Test
    void givesQemuTheProbeFirmwareAndRemovesItAfterwards() {
        runner.answer = CommandResult.exited(ProbeGuest.EXIT_CODE, "", Duration.ofMillis(120));

        probe().choose();

        Path firmware = Path.of(runner.commands.get(0).get(runner.commands.get(0).indexOf("-bios") + 1));
        assertThat(runner.firmwareSeen).hasSize(ProbeGuest.FIRMWARE_SIZE);
        byte[] resetVector = Arrays.copyOfRange(runner.firmwareSeen, ProbeGuest.FIRMWARE_SIZE - 16, ProbeGuest.FIRMWARE_SIZE - 12);
        assertThat(resetVector).containsExactly(0xB0, 0x10, 0xE6, 0xF4);
        assertThat(firmware).doesNotExist();
    }

    @Test
    void fallsBackToTcgWhenTheProbeGuestHangs() {
        runner.answer = CommandResult.killedAfter(TIMEOUT, "");

        AcceleratorChoice choice = probe().choose();

        assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(choice.reason()).isEqualTo("the KVM probe guest had not halted after 3 s"
                + " (nested KVM that hangs guests looks like this), so QEMU was killed");
    }

    @Test
    void fallsBackToTcgWithQemusOwnErrorWhenKvmFails() {
        runner.answer = CommandResult.exited(1, "Could not access KVM kernel module: Permission denied\n"
                + "qemu-system-x86_64: failed to initialize kvm: Permission denied\n", Duration.ofMillis(40));

        AcceleratorChoice choice = probe().choose();

        assertThat(choice).isEqualTo(new AcceleratorChoice(Accelerator.TCG,
                "QEMU could not run a guest under KVM (exit code 1): qemu-system-x86_64: failed to initialize kvm: Permission denied"));
    }

    @Test
    void fallsBackToTcgWhenQemuCannotStart() {
        runner.failure = new IOException("Cannot run program: error=8, Exec format error");

        AcceleratorChoice choice = probe().choose();

        assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(choice.reason()).startsWith("could not start the KVM probe (").endsWith("Exec format error");
    }

    @Test
    void fallsBackToTcgWithoutProbingWhenKvmIsAbsent() throws IOException {
        Files.delete(kvm);

        AcceleratorChoice choice = probe().choose();

        assertThat(choice).isEqualTo(new AcceleratorChoice(Accelerator.TCG, kvm + " does not exist: this kernel or VM offers no KVM"));
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void fallsBackToTcgWithoutProbingWhenQemuIsMissing() {
        environment.put("PATH", dir.resolve("elsewhere").toString());

        AcceleratorChoice choice = probe().choose();

        assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(choice.reason()).startsWith("qemu-system-x86_64 is not on PATH").contains("install qemu-system-x86");
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void doesNotTakeANonExecutableFileForQemu() throws IOException {
        Files.setPosixFilePermissions(bin.resolve(AcceleratorProbe.QEMU), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(probe().findOnPath(AcceleratorProbe.QEMU)).isEmpty();
    }

    @Test
    void theOverrideWinsWithoutProbing() {
        environment.put(AcceleratorProbe.OVERRIDE_VARIABLE, "tcg");
        assertThat(probe().choose()).isEqualTo(new AcceleratorChoice(Accelerator.TCG,
                "DORMANT_SANDBOX_ACCEL=tcg is set, so the accelerator was not probed"));

        environment.put(AcceleratorProbe.OVERRIDE_VARIABLE, " KVM ");
        assertThat(probe().choose().accelerator()).isEqualTo(Accelerator.KVM);

        assertThat(runner.commands).isEmpty();
    }

    @Test
    void aBlankOverrideMeansProbe() {
        environment.put(AcceleratorProbe.OVERRIDE_VARIABLE, "  ");
        runner.answer = CommandResult.exited(ProbeGuest.EXIT_CODE, "", Duration.ofMillis(90));

        assertThat(probe().choose().accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(runner.commands).hasSize(1);
    }

    @Test
    void refusesAMistypedOverride() {
        environment.put(AcceleratorProbe.OVERRIDE_VARIABLE, "kmv");

        assertThatThrownBy(() -> probe().choose())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DORMANT_SANDBOX_ACCEL is 'kmv'; set it to kvm or tcg, or unset it to let Dormant probe for KVM");
    }

    private AcceleratorProbe probe() {
        return new AcceleratorProbe(environment, kvm, runner, TIMEOUT);
    }

    /** Answers as told, and keeps what it was asked to run, including the firmware while it still exists. */
    private static final class FakeRunner implements CommandRunner {
        CommandResult answer;
        IOException failure;
        final List<List<String>> commands = new ArrayList<>();
        final List<Duration> timeouts = new ArrayList<>();
        byte[] firmwareSeen;

        @Override
        public CommandResult run(List<String> command, Duration timeout) throws IOException {
            commands.add(command);
            timeouts.add(timeout);
            firmwareSeen = Files.readAllBytes(Path.of(command.get(command.indexOf("-bios") + 1)));
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }
}
