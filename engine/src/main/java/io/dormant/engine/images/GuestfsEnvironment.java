package io.dormant.engine.images;

import io.dormant.library.disk.DiskImages;
import io.dormant.sandbox.qemu.Accelerator;
import io.dormant.sandbox.qemu.AcceleratorChoice;
import io.dormant.sandbox.qemu.AcceleratorProbe;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How libguestfs runs its appliance on this machine. libguestfs uses KVM whenever /dev/kvm exists,
 * and under nested virtualisation that can hang the appliance forever; the sandbox's probe knows
 * when, and then the appliance is told to use TCG. An admin's own LIBGUESTFS_BACKEND_SETTINGS wins.
 */
public final class GuestfsEnvironment implements Supplier<Map<String, String>> {
    static final String SETTINGS = "LIBGUESTFS_BACKEND_SETTINGS";

    private final Map<String, String> environment;
    private final Supplier<AcceleratorChoice> probe;
    private Map<String, String> decided;

    GuestfsEnvironment(Map<String, String> environment, Supplier<AcceleratorChoice> probe) {
        this.environment = environment;
        this.probe = probe;
    }

    /** Disk images read and written with libguestfs set up for this machine, probed at the first disk. */
    public static DiskImages diskImages() {
        return new DiskImages(new GuestfsEnvironment(System.getenv(), () -> AcceleratorProbe.forThisMachine().choose()));
    }

    @Override
    public synchronized Map<String, String> get() {
        if (decided == null) {
            decided = decide();
        }
        return decided;
    }

    private Map<String, String> decide() {
        if (environment.containsKey(SETTINGS)) {
            return Map.of();
        }
        return probe.get().accelerator() == Accelerator.TCG ? Map.of(SETTINGS, "force_tcg") : Map.of();
    }
}
