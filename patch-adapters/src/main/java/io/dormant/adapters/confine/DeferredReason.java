package io.dormant.adapters.confine;

import java.util.List;

/** Why a command a confined script called waits for the first boot, in the words of the first-boot queue. */
public final class DeferredReason {

    /** GRUB's commands that write the boot menu or the boot sector: always deferred. */
    static final List<String> BOOT_LOADER = List.of("update-grub", "update-grub2", "grub-mkconfig", "grub-install");

    private DeferredReason() {
    }

    /** Whether the command writes the boot loader (then no policy decides: only the first boot can run it). */
    public static boolean isBootLoader(String name) {
        return BOOT_LOADER.contains(name);
    }

    /** @param command the recorded call, its words separated by spaces */
    public static String of(String command) {
        String name = command.strip().split("\\s+", 2)[0];
        if (isBootLoader(name)) {
            return "writes the boot loader, which needs the image's disks; until it runs, the image boots as before";
        }
        return "starts or restarts a service, which needs a running system";
    }
}
