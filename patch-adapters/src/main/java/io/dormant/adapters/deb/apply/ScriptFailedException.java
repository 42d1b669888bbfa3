package io.dormant.adapters.deb.apply;

import java.io.IOException;

/** A maintainer script failed, as it would have made dpkg fail: nothing of the apply is kept. */
public class ScriptFailedException extends IOException {

    private final ScriptReport report;

    public ScriptFailedException(ScriptReport report) {
        super(report.packageName() + " " + report.script() + " " + String.join(" ", report.args())
                + " failed with exit code " + report.exitCode() + "; nothing was changed. Its output:\n" + report.output());
        this.report = report;
    }

    public ScriptReport report() {
        return report;
    }
}
