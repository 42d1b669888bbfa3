package io.dormant.sandbox.qemu;

/** How QEMU runs a sandbox VM's CPU: in hardware through KVM, or emulated by TCG (slow, but works anywhere). */
public enum Accelerator {
    KVM("kvm"),
    TCG("tcg");

    private final String qemuName;

    Accelerator(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name QEMU's {@code -accel} option takes. */
    public String qemuName() {
        return qemuName;
    }
}
