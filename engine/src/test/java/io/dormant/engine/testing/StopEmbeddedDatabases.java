package io.dormant.engine.testing;

import io.dormant.library.db.EmbeddedPostgres;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the embedded PostgreSQL servers the tests started, when the test run ends. */
public class StopEmbeddedDatabases implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        EmbeddedPostgres.stopAllStartedHere();
    }
}
