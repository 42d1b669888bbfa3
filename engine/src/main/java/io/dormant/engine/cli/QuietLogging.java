package io.dormant.engine.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Library commands print results, not logs: libraries such as Flyway log at INFO by default, which
 * would bury a command's output. Warnings still show; {@code --debug} shows everything.
 */
final class QuietLogging {

    private QuietLogging() {
    }

    static void apply(boolean debug) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(debug ? Level.DEBUG : Level.WARN);
        }
    }
}
