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

        HttpResponse<String> groups = get("/engine-rest/group?member=admin", ADMIN);
        assertThat(groups.statusCode()).isEqualTo(200);
        assertThat(groups.body()).contains("\"image-admins\"").contains("\"camunda-admin\"");

        // Not admin: a failed login makes Camunda delay that user's next login, which other tests need.
        assertThat(get("/engine-rest/user/count", "nobody:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/images", "nobody:wrong").statusCode()).isEqualTo(401);
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

    @Test
    void imagesCanBeImportedListedAndComparedOverTheApi() throws Exception {
        java.nio.file.Path tree = java.nio.file.Files.createTempDirectory("api-image");
        java.nio.file.Files.writeString(tree.resolve("motd"), "one\n");
        String body = "{\"source\":\"" + tree + "\"}";

        HttpResponse<String> first = post("/api/images/api-test/imports", body, ADMIN);
        java.nio.file.Files.writeString(tree.resolve("motd"), "two\n");
        HttpResponse<String> second = post("/api/images/api-test/imports", body, ADMIN);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).contains("\"ref\":\"api-test@1\"").contains("\"createdBy\":\"admin\"");
        assertThat(second.body()).contains("\"ref\":\"api-test@2\"").contains("\"parent\":\"api-test@1\"");
        assertThat(get("/api/images", ADMIN).body()).contains("\"name\":\"api-test\"");
        assertThat(get("/api/images/api-test/diff?from=1&to=2", ADMIN).body())
                .contains("\"path\":\"/motd\"").contains("\"changed\":1");
        assertThat(get("/api/images/api-test/versions/9", ADMIN).statusCode()).isEqualTo(404);
        assertThat(get("/api/images/api-test/versions", null).statusCode()).isEqualTo(401);
        assertThat(get("/v3/api-docs", null).body()).contains("/api/images/{name}/imports");
    }

    private static final String ADMIN = "admin:engine-it-secret";

    private HttpResponse<String> post(String path, String json, String credentials) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
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
