package io.dormant.adapters.confine;

/**
 * What Dormant answered for a helper call it performed: the exit code and output the command would
 * have given, and a line for the report saying what was done.
 */
public record HelperReply(int exitCode, String stdout, String stderr, String description) {

    public static HelperReply done(String description) {
        return new HelperReply(0, "", "", description);
    }

    public static HelperReply exit(int exitCode, String stderr, String description) {
        return new HelperReply(exitCode, "", stderr, description);
    }
}
