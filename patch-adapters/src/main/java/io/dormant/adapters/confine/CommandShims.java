package io.dormant.adapters.confine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What keeps a confined script from starting a process of the image's services: a
 * {@code policy-rc.d} that denies every action, and a recording shim bound over each
 * process-starting command the image has. Commands the image lacks get no shim, so a script sees
 * the same "not found" it would see on the real system. Everything is a read-only bind inside the
 * sandbox; the only trace in the image is the mount point of a policy-rc.d the image did not have,
 * which {@link #removeMountPoints()} takes away again, parent mtime included.
 */
final class CommandShims {

    /** Where the image's own systemctl is seen inside the sandbox, for the verbs that work offline. */
    static final String REAL_SYSTEMCTL = "/run/dormant/real/systemctl";
    static final String RECORD = "/run/dormant/deferred";
    static final String POLICY_RC_D = "/usr/sbin/policy-rc.d";

    /** Each command and the paths where Debian (merged /usr or not) or Upstart put it. */
    static final Map<String, List<String>> COMMANDS = commands();

    private final List<SandboxBind> binds = new ArrayList<>();
    private final List<String> shimmed = new ArrayList<>();
    private Path createdMountPoint;
    private FileTime parentMtime;

    private CommandShims() {
    }

    /** Writes the shims to {@code scratch} and plans their binds over the commands found under {@code root}. */
    static CommandShims prepare(Path root, Path scratch) throws IOException {
        CommandShims shims = new CommandShims();
        Path dir = Files.createDirectories(scratch.resolve("shims"));
        for (var command : COMMANDS.entrySet()) {
            Set<String> targets = new LinkedHashSet<>();
            for (String candidate : command.getValue()) {
                String canonical = ImagePaths.canonical(root, candidate);
                // A link to a command shimmed already (update-grub2 -> update-grub) keeps that shim.
                if (canonical != null && !shims.shimmed.contains(canonical)
                        && Files.isRegularFile(ImagePaths.host(root, canonical), LinkOption.NOFOLLOW_LINKS)) {
                    targets.add(canonical);
                }
            }
            if (targets.isEmpty()) {
                continue;
            }
            Path shim = executable(dir.resolve(command.getKey()),
                    resource("shim.sh").replace("@COMMAND@", command.getKey())
                            .replace("@BOOT_LOADER@", String.join("|", DeferredReason.BOOT_LOADER)));
            if (command.getKey().equals("systemctl")) {
                shims.binds.add(SandboxBind.readOnly(ImagePaths.host(root, targets.iterator().next()), REAL_SYSTEMCTL));
            }
            for (String target : targets) {
                shims.binds.add(SandboxBind.readOnly(shim, target));
                shims.shimmed.add(target);
            }
        }
        shims.denyServiceActions(root, executable(dir.resolve("policy-rc.d"), resource("policy-rc.d")));
        return shims;
    }

    List<SandboxBind> binds() {
        return List.copyOf(binds);
    }

    /** The image paths a shim covers during the run. */
    List<String> shimmedPaths() {
        return List.copyOf(shimmed);
    }

    /** Removes the policy-rc.d mount point if this run made it, and gives its directory back its mtime. */
    void removeMountPoints() throws IOException {
        if (createdMountPoint != null) {
            Files.deleteIfExists(createdMountPoint);
            Files.setLastModifiedTime(createdMountPoint.getParent(), parentMtime);
            createdMountPoint = null;
        }
    }

    private void denyServiceActions(Path root, Path policy) throws IOException {
        String canonical = ImagePaths.canonical(root, POLICY_RC_D);
        if (canonical == null) {
            return; // no /usr/sbin: no invoke-rc.d either, nothing would ask the policy
        }
        Path host = ImagePaths.host(root, canonical);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            parentMtime = Files.getLastModifiedTime(host.getParent(), LinkOption.NOFOLLOW_LINKS);
            Files.createFile(host);
            createdMountPoint = host;
        } else if (!Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfineException("cannot confine a script in " + root + ": " + canonical
                    + " is neither a file nor missing, so no deny-all policy can be put there");
        }
        binds.add(SandboxBind.readOnly(policy, canonical));
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The shim texts, read from the jar once per process rather than once per confined script and command. */
    private static final Map<String, String> RESOURCES = new java.util.concurrent.ConcurrentHashMap<>();

    static String resource(String name) {
        return RESOURCES.computeIfAbsent(name, CommandShims::readResource);
    }

    private static String readResource(String name) {
        try (InputStream in = CommandShims.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the confine package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> commands() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("systemctl", List.of("/usr/bin/systemctl", "/bin/systemctl"));
        commands.put("deb-systemd-invoke", List.of("/usr/bin/deb-systemd-invoke"));
        commands.put("invoke-rc.d", List.of("/usr/sbin/invoke-rc.d"));
        commands.put("service", List.of("/usr/sbin/service"));
        commands.put("start-stop-daemon", List.of("/usr/sbin/start-stop-daemon", "/sbin/start-stop-daemon"));
        commands.put("initctl", List.of("/sbin/initctl", "/usr/sbin/initctl"));
        // The boot loader's tools probe the disks the image boots from (grub-probe), which an
        // offline tree in a sandbox does not have: they run at first boot instead.
        for (String grub : DeferredReason.BOOT_LOADER) {
            commands.put(grub, List.of("/usr/sbin/" + grub, "/sbin/" + grub));
        }
        return Collections.unmodifiableMap(commands);
    }
}
