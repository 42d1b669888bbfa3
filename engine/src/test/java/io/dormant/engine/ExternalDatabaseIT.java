package io.dormant.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.library.db.DatabaseSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The engine on an external PostgreSQL (the machine's own server, prepared by bin/test), configured
 * the way an admin does it: DORMANT_DB_URL, DORMANT_DB_USER, DORMANT_DB_PASSWORD.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dormant.home=${java.io.tmpdir}/dormant-external-it-${random.uuid}")
class ExternalDatabaseIT {

    static final String URL = System.getenv("DORMANT_TEST_DB_URL");

    @BeforeAll
    static void requireExternalDatabase() {
        assumeTrue(URL != null, "DORMANT_TEST_DB_URL is not set: bin/test prepares the machine's PostgreSQL for this test");
    }

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) {
        registry.add("dormant.db.url", () -> URL);
        registry.add("dormant.db.user", () -> System.getenv("DORMANT_TEST_DB_USER"));
        registry.add("dormant.db.password", () -> System.getenv("DORMANT_TEST_DB_PASSWORD"));
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseSettings settings;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void runsOnTheExternalDatabase() throws Exception {
        assertThat(settings.embedded()).isFalse();
        assertThat(settings.url()).isEqualTo(URL);
        assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(URI.create(URL.substring(5)).getPath().substring(1));
        assertThat(jdbc.queryForObject("select count(*) from dormant.flyway_schema_history where success", Integer.class)).isPositive();

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).startsWith("{\"status\":\"UP\"");
    }
}
