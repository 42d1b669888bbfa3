package io.dormant.adapters.deb;

/**
 * A version string that is not a Debian version. Carries the string and the problem separately, so
 * a caller that knows where the string came from (a control file, the image's dpkg status) can
 * name that too.
 */
public final class DebianVersionSyntaxException extends IllegalArgumentException {

    private final String version;
    private final String problem;

    DebianVersionSyntaxException(String version, String problem) {
        super("version '" + version + "' has bad syntax: " + problem);
        this.version = version;
        this.problem = problem;
    }

    /** The rejected string, exactly as given. */
    public String version() {
        return version;
    }

    /** What is wrong with it, without the string itself. */
    public String problem() {
        return problem;
    }
}
