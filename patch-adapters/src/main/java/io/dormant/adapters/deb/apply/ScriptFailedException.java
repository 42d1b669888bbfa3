package io.dormant.adapters.deb.apply;

import io.dormant.adapters.confine.ScriptInvocation;
import java.io.IOException;
import java.time.Duration;

/** A maintainer script failed, as it would have made dpkg fail: nothing of the apply is kept. */
public class ScriptFailedException extends IOException {

    private final ScriptReport report;

    public ScriptFailedException(ScriptReport report) {
        this(report, "failed with exit code " + report.exitCode());
    }

    private ScriptFailedException(ScriptReport report, String what) {
        super(report.packageName() + " " + report.script() + " " + String.join(" ", report.args())
                + " " + what + "; nothing was changed. Its output:\n" + report.output());
        this.report = report;
    }

    /** The script ran longer than it may and was stopped. */
    public static ScriptFailedException timedOut(ScriptReport report, Duration timeout) {
        return new ScriptFailedException(report, "did not finish within " + timeout.toSeconds() + " s and was stopped"
                + " (" + ScriptInvocation.TIMEOUT_VARIABLE + " gives scripts longer)");
    }

    public ScriptReport report() {
        return report;
    }
}
