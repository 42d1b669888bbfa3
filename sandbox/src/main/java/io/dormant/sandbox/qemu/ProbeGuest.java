package io.dormant.sandbox.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * The smallest guest that proves a virtual CPU runs: a 64 KiB firmware image whose reset vector
 * writes to QEMU's isa-debug-exit port, so QEMU exits with {@link #EXIT_CODE} as soon as the first
 * guest instruction has executed. Nested KVM on some hosts accepts the VM and then never runs its
 * CPU; only a guest that actually executes tells the two apart, and this one needs no disk image.
 */
final class ProbeGuest {

    /** QEMU's isa-debug-exit turns the value written, 0x10, into exit code (0x10 << 1) | 1. */
    static final int EXIT_CODE = 33;

    /** QEMU's pc machine wants firmware in whole 64 KiB blocks; it maps the end at the reset vector. */
    static final int FIRMWARE_SIZE = 64 * 1024;

    private static final int DEBUG_EXIT_PORT = 0xF4;

    /** Real mode at the reset vector (physical 0xFFFFFFF0, the firmware's last 16 bytes). */
    private static final byte[] RESET_VECTOR_CODE = {
        (byte) 0xB0, 0x10,                    // mov al, 0x10
        (byte) 0xE6, (byte) DEBUG_EXIT_PORT,  // out 0xf4, al   -> QEMU exits with 33
        (byte) 0xF4,                          // hlt            (only if the device is missing)
        (byte) 0xEB, (byte) 0xFD              // jmp to the hlt
    };

    private ProbeGuest() {
    }

    static byte[] firmware() {
        byte[] image = new byte[FIRMWARE_SIZE];
        System.arraycopy(RESET_VECTOR_CODE, 0, image, FIRMWARE_SIZE - 16, RESET_VECTOR_CODE.length);
        return image;
    }

    /** No disk, network, display or default devices: nothing that could slow or stop the start but the CPU. */
    static List<String> command(String qemu, Accelerator accelerator, Path firmware) {
        return List.of(qemu,
                "-accel", accelerator.qemuName(),
                "-machine", "pc",
                "-m", "16",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-bios", firmware.toString(),
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(DEBUG_EXIT_PORT) + ",iosize=0x04");
    }
}
