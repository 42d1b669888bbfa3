package io.dormant.sandbox.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether sandbox VMs run under KVM or TCG. {@code /dev/kvm} existing is not enough: under
 * nested virtualisation KVM may accept a VM and then hang its CPU forever, so KVM is chosen only
 * after a {@link ProbeGuest} has run and halted under it within a few seconds. Everything else
 * falls back to TCG, which is slow but always runs, with the reason in the {@link AcceleratorChoice}.
 */
public final class AcceleratorProbe {

    /** Set to {@code kvm} or {@code tcg} to skip probing, e.g. where the probe itself is unwelcome. */
    public static final String OVERRIDE_VARIABLE = "DORMANT_SANDBOX_ACCEL";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    static final String QEMU = "qemu-system-x86_64";

    private final Map<String, String> environment;
    private final Path kvmDevice;
    private final CommandRunner runner;
    private final Duration timeout;

    AcceleratorProbe(Map<String, String> environment, Path kvmDevice, CommandRunner runner, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.kvmDevice = kvmDevice;
        this.runner = runner;
        this.timeout = timeout;
    }

    /** A probe of this machine: its environment, {@code /dev/kvm}, and {@link #DEFAULT_TIMEOUT}. */
    public static AcceleratorProbe forThisMachine() {
        return new AcceleratorProbe(System.getenv(), Path.of("/dev/kvm"), new ProcessCommandRunner(), DEFAULT_TIMEOUT);
    }

    /**
     * Chooses the accelerator. Takes at most the probe's timeout plus a moment to kill QEMU.
     *
     * @throws IllegalArgumentException when {@value #OVERRIDE_VARIABLE} holds something other than kvm or tcg
     */
    public AcceleratorChoice choose() {
        Optional<Accelerator> forced = override();
        if (forced.isPresent()) {
            return new AcceleratorChoice(forced.get(),
                    OVERRIDE_VARIABLE + "=" + forced.get().qemuName() + " is set, so the accelerator was not probed");
        }
        Optional<Path> qemu = findOnPath(QEMU);
        if (qemu.isEmpty()) {
            return tcg(QEMU + " is not on PATH, so KVM could not be probed; install qemu-system-x86 to run sandboxes");
        }
        if (!Files.exists(kvmDevice)) {
            return tcg(kvmDevice + " does not exist: this kernel or VM offers no KVM");
        }
        if (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice)) {
            return tcg(kvmDevice + " exists but this user cannot open it for reading and writing; add the user to the kvm group to use KVM");
        }
        return probeKvm(qemu.get());
    }

    private AcceleratorChoice probeKvm(Path qemu) {
        CommandResult result;
        try {
            result = runProbeGuest(qemu, Accelerator.KVM);
        } catch (IOException e) {
            return tcg("could not start the KVM probe (" + qemu + "): " + e.getMessage());
        }
        if (result.timedOut()) {
            return tcg("the KVM probe guest had not halted after " + seconds(timeout)
                    + " (nested KVM that hangs guests looks like this), so QEMU was killed");
        }
        if (result.exitCode() != ProbeGuest.EXIT_CODE) {
            return tcg("QEMU could not run a guest under KVM (exit code " + result.exitCode() + "): " + result.lastLine());
        }
        return new AcceleratorChoice(Accelerator.KVM, "a probe guest ran and halted under KVM in " + result.elapsed().toMillis() + " ms");
    }

    /** Runs the probe guest under {@code accelerator}; package-private so the IT can check the guest itself under TCG. */
    CommandResult runProbeGuest(Path qemu, Accelerator accelerator) throws IOException {
        Path firmware = Files.createTempFile("dormant-probe-firmware-", ".bin");
        try {
            Files.write(firmware, ProbeGuest.firmware());
            return runner.run(ProbeGuest.command(qemu.toString(), accelerator, firmware), timeout);
        } finally {
            Files.deleteIfExists(firmware);
        }
    }

    private Optional<Accelerator> override() {
        String value = environment.getOrDefault(OVERRIDE_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "" -> Optional.empty();
            case "kvm" -> Optional.of(Accelerator.KVM);
            case "tcg" -> Optional.of(Accelerator.TCG);
            default -> throw new IllegalArgumentException(OVERRIDE_VARIABLE + " is '" + environment.get(OVERRIDE_VARIABLE)
                    + "'; set it to kvm or tcg, or unset it to let Dormant probe for KVM");
        };
    }

    Optional<Path> findOnPath(String command) {
        return Arrays.stream(environment.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .findFirst();
    }

    private static AcceleratorChoice tcg(String reason) {
        return new AcceleratorChoice(Accelerator.TCG, reason);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
