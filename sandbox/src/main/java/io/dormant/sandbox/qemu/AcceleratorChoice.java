package io.dormant.sandbox.qemu;

import java.util.Objects;

/**
 * Which accelerator sandbox VMs will use, and why, in words an operator can act on (the reason is
 * shown by the CLI and kept in the run's report, since TCG makes sandbox runs many times slower).
 */
public record AcceleratorChoice(Accelerator accelerator, String reason) {

    public AcceleratorChoice {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(reason, "reason");
    }
}
