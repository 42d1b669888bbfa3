package io.dormant.adapters.confine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bubblewrap command line and environment of one confined run: the image root as {@code /},
 * fresh {@code /proc}, {@code /dev}, {@code /tmp} and {@code /run}, no network, IPC, host name or
 * process ids shared with the host, only the capabilities a package script needs to own and
 * permission files (none to mount, load modules, make device nodes or reach the host's files by
 * handle), and dpkg's environment instead of the caller's.
 */
final class SandboxCommand {

    /** Where the script is seen inside the sandbox; on tmpfs, so it leaves nothing in the image. */
    static final String SCRIPT_DIR = "/run/dormant/confine";

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Docker's default set without CAP_MKNOD: there is no device cgroup to stop a node of the host's disk. */
    static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_SETFCAP", "CAP_NET_BIND_SERVICE",
            "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE");

    private SandboxCommand() {
    }

    /**
     * @param systemdBoots the image boots systemd: {@code /run/systemd/system} is made, as on a live
     *     system, so that debhelper's snippets take their systemd branch and their starts are recorded
     */
    static List<String> arguments(Path bwrap, Path root, List<SandboxBind> binds, ScriptInvocation invocation,
                                  boolean hasInterpreterLine, boolean systemdBoots) {
        List<String> args = new ArrayList<>(List.of(bwrap.toString(),
                "--bind", root.toString(), "/",
                "--proc", "/proc",
                "--dev", "/dev",
                "--tmpfs", "/tmp",
                "--tmpfs", "/run",
                "--dir", "/run/dormant",
                "--dir", SCRIPT_DIR,
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session",
                "--hostname", "dormant-confine",
                "--cap-drop", "ALL"));
        if (systemdBoots) {
            args.add("--dir");
            args.add("/run/systemd/system");
        }
        for (String capability : CAPABILITIES) {
            args.add("--cap-add");
            args.add(capability);
        }
        for (SandboxBind bind : binds) {
            args.add(bind.writable() ? "--bind" : "--ro-bind");
            args.add(bind.source().toString());
            args.add(bind.target());
        }
        args.add("--chdir");
        args.add("/");
        // dpkg executes the script itself, so its #! line picks the interpreter; without one, sh -e.
        if (!hasInterpreterLine) {
            args.add("/bin/sh");
            args.add("-e");
        }
        args.add(scriptPath(invocation));
        args.addAll(invocation.args());
        return args;
    }

    static String scriptPath(ScriptInvocation invocation) {
        return invocation.imagePath() != null ? invocation.imagePath() : SCRIPT_DIR + "/" + invocation.fileName();
    }

    /** What dpkg gives a maintainer script, and nothing of the caller's environment. */
    static Map<String, String> environment(ScriptInvocation invocation) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("LANG", "C.UTF-8");
        env.put("DEBIAN_FRONTEND", "noninteractive");
        env.put("DPKG_MAINTSCRIPT_NAME", invocation.scriptName());
        env.put("DPKG_MAINTSCRIPT_PACKAGE", invocation.packageName());
        env.put("DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT", "1");
        env.put("DPKG_MAINTSCRIPT_ARCH", invocation.architecture());
        env.put("DPKG_RUNNING_VERSION", invocation.dpkgVersion());
        env.put("DPKG_ROOT", "");
        env.put("DPKG_ADMINDIR", "/var/lib/dpkg");
        return env;
    }
}
