package io.dormant.adapters.confine;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One install-time script to run confined, with what dpkg would tell it: the package, the script's
 * name ({@code postinst}), its arguments ({@code configure 1.2-1}), the architecture and dpkg's version.
 */
public record ScriptInvocation(String packageName, String scriptName, byte[] script, List<String> args,
                               String architecture, String dpkgVersion, Duration timeout, String imagePath) {

    public static final String DEFAULT_ARCHITECTURE = "amd64";
    /** dpkg's version in Debian 12; pass the image's own when it is known. */
    public static final String DEFAULT_DPKG_VERSION = "1.21.22";
    /**
     * How long a script may run before it is stopped, unless {@value #TIMEOUT_VARIABLE} says
     * otherwise. dpkg waits forever; this only catches a script that hangs, so it is generous: a new
     * kernel's postinst builds an initramfs (a minute or two) and DKMS modules (several minutes).
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** Seconds a confined script may run: the environment variable that overrides {@link #DEFAULT_TIMEOUT}. */
    public static final String TIMEOUT_VARIABLE = "DORMANT_SCRIPT_TIMEOUT";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+.:_-]*");

    public ScriptInvocation {
        if (packageName == null || !NAME.matcher(packageName).matches()) {
            throw new IllegalArgumentException("not a package name: '" + packageName + "'");
        }
        if (scriptName == null || !NAME.matcher(scriptName).matches()) {
            throw new IllegalArgumentException("not a script name: '" + scriptName + "' (of " + packageName + ")");
        }
        if (script == null) {
            throw new IllegalArgumentException("the " + scriptName + " of " + packageName + " has no bytes");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of " + packageName + "." + scriptName + " must be positive");
        }
        script = script.clone();
        args = List.copyOf(args);
    }

    /** A maintainer script with the default architecture, dpkg version and timeout. */
    public static ScriptInvocation of(String packageName, String scriptName, byte[] script, List<String> args) {
        return new ScriptInvocation(packageName, scriptName, script, args, DEFAULT_ARCHITECTURE, DEFAULT_DPKG_VERSION,
                DEFAULT_TIMEOUT, null);
    }

    /**
     * The timeout {@value #TIMEOUT_VARIABLE} gives (a whole number of seconds), else {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException naming the variable when its value is not a positive number of seconds
     */
    public static Duration timeoutFrom(java.util.Map<String, String> environment) {
        String value = environment.get(TIMEOUT_VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(TIMEOUT_VARIABLE + "='" + value + "' is not a positive number of seconds;"
                + " set it to how long a maintainer script may run (default " + DEFAULT_TIMEOUT.toMinutes() + " minutes)");
    }

    public ScriptInvocation withTimeout(Duration value) {
        return new ScriptInvocation(packageName, scriptName, script, args, architecture, dpkgVersion, value, imagePath);
    }

    public ScriptInvocation withArchitecture(String value) {
        return new ScriptInvocation(packageName, scriptName, script, args, value, dpkgVersion, timeout, imagePath);
    }

    public ScriptInvocation withDpkgVersion(String value) {
        return new ScriptInvocation(packageName, scriptName, script, args, architecture, value, timeout, imagePath);
    }

    /**
     * Runs the script at this path of the image, where dpkg keeps it ({@code /var/lib/dpkg/info/p.postinst}):
     * debconf's confmodule finds a package's config script next to the running script.
     */
    public ScriptInvocation at(String value) {
        return new ScriptInvocation(packageName, scriptName, script, args, architecture, dpkgVersion, timeout, value);
    }

    @Override
    public byte[] script() {
        return script.clone();
    }

    /** The file name the script has inside the sandbox, as dpkg names it under {@code info/}. */
    String fileName() {
        return packageName + "." + scriptName;
    }
}
