package io.dormant.engine.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.sandbox.qemu.Accelerator;
import io.dormant.sandbox.qemu.AcceleratorChoice;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuestfsEnvironmentTest {

    @Test
    void tcgIsForcedWhenTheProbeChoseItAndTheProbeRunsOnce() {
        AtomicInteger probes = new AtomicInteger();
        GuestfsEnvironment environment = new GuestfsEnvironment(Map.of(), () -> {
            probes.incrementAndGet();
            return new AcceleratorChoice(Accelerator.TCG, "the KVM probe guest had not halted");
        });

        assertThat(environment.get()).containsExactly(Map.entry("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg"));
        assertThat(environment.get()).hasSize(1);
        assertThat(probes).hasValue(1);
    }

    @Test
    void kvmLeavesLibguestfsAlone() {
        assertThat(new GuestfsEnvironment(Map.of(), () -> new AcceleratorChoice(Accelerator.KVM, "a probe guest halted")).get())
                .isEmpty();
    }

    @Test
    void anAdminsOwnSettingsWinWithoutAProbe() {
        GuestfsEnvironment environment = new GuestfsEnvironment(Map.of("LIBGUESTFS_BACKEND_SETTINGS", "force_kvm"), () -> {
            throw new AssertionError("no probe when the admin decided");
        });
        assertThat(environment.get()).isEmpty();
    }
}
