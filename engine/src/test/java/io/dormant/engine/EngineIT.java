package io.dormant.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The whole engine on the embedded PostgreSQL of a fresh home, checked over HTTP as a user would. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dormant.home=${java.io.tmpdir}/dormant-engine-it-${random.uuid}",
        "DORMANT_ADMIN_PASSWORD=engine-it-secret"})
class EngineIT {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void healthIsUpWithTheDatabaseAndTheWorkflowEngine() throws Exception {
        HttpResponse<String> health = get("/actuator/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"UP\"")
                .contains("\"db\":{\"status\":\"UP\"")
                .contains("\"workflowEngine\":{\"status\":\"UP\"");
    }

    @Test
    void cockpitAnswers() throws Exception {
        HttpResponse<String> cockpit = get("/camunda/app/cockpit/", null);

        assertThat(cockpit.statusCode()).isEqualTo(200);
        assertThat(cockpit.body()).containsIgnoringCase("cockpit");
    }

    @Test
    void theRestApiWantsCredentialsAndKnowsTheFirstAdmin() throws Exception {
        assertThat(get("/engine-rest/user/count", null).statusCode()).isEqualTo(401);

        HttpResponse<String> groups = get("/engine-rest/group?member=admin", "admin:engine-it-secret");
        assertThat(groups.statusCode()).isEqualTo(200);
        assertThat(groups.body()).contains("\"image-admins\"").contains("\"camunda-admin\"");

        // Last: a failed login makes Camunda delay the next login of that user by a few seconds.
        assertThat(get("/engine-rest/user/count", "admin:wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void theCatalogueTablesComeFromTheMigrations() {
        Integer tables = jdbc.queryForObject("select count(*) from information_schema.tables where table_schema = 'dormant'"
                + " and table_name in ('image', 'image_version', 'package_inventory', 'patch', 'campaign',"
                + " 'campaign_run', 'audit_event')", Integer.class);
        Integer camundaTables = jdbc.queryForObject("select count(*) from information_schema.tables"
                + " where table_schema = 'public' and table_name = 'act_ru_execution'", Integer.class);

        assertThat(tables).isEqualTo(7);
        assertThat(camundaTables).isEqualTo(1);
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
