package io.dormant.engine;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything under {@code dormant.*}. Spring's relaxed binding also reads the environment, so
 * {@code DORMANT_HOME} and {@code DORMANT_DB_URL} set these as they do for the command line.
 */
@ConfigurationProperties("dormant")
public record DormantProperties(Path home, Db db) {

    public record Db(String url, String user, String password) {
    }
}
