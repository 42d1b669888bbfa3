package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import io.dormant.engine.fixtures.UpdateSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a new user would: start {@code dormant serve}, import an image, let an operator start a patch
 * run, then log into Tasklist as the admin, find the approval with its report in the filter
 * "Approvals", approve it the way Tasklist submits its form, and see the new version.
 */
class WorkflowCommandsIT {

    static final String UPDATES = System.getenv("DORMANT_TEST_UPDATES");
    static final String SERVICE_IMAGE = System.getenv("DORMANT_TEST_SERVICE_IMAGE");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    DormantProcess admin;

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
            admin.stop();
            admin.run("db", "stop");
        }
    }

    @Test
    void anOperatorsRunIsApprovedInTasklistByTheAdminAndBecomesTheNextVersion() throws Exception {
        assumeTrue(UPDATES != null && SERVICE_IMAGE != null, "bin/test builds the service image and its updates");
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of("DORMANT_HOME", temp.resolve("home").toString(),
                "DORMANT_ADMIN_PASSWORD", "admin-secret", "DORMANT_URL", "http://localhost:" + port,
                "DORMANT_USER", "admin", "DORMANT_PASSWORD", "admin-secret"));
        admin = new DormantProcess(env, temp.resolve("serve.log"));
        admin.startServe(port);
        admin.awaitHealthy(port, Duration.ofSeconds(180));
        assertThat(admin.run("image", "import", "web", SERVICE_IMAGE).exitCode()).isZero();
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(StandardCharsets.UTF_8));
        for (String call : new String[] {"/engine-rest/user/create|{\"profile\":{\"id\":\"ops\"},\"credentials\":{\"password\":\"ops-secret\"}}",
                "/engine-rest/group/operators/members/ops|"}) {
            String[] parts = call.split("\\|", 2);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + parts[0]))
                    .header("Authorization", basic).header("Content-Type", "application/json");
            int status = http.send(parts[1].isEmpty() ? request.PUT(HttpRequest.BodyPublishers.noBody()).build()
                    : request.POST(HttpRequest.BodyPublishers.ofString(parts[1])).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            assertThat(status).as(parts[0]).isEqualTo(204);
        }
        Map<String, String> opsEnv = new HashMap<>(env);
        opsEnv.put("DORMANT_USER", "ops");
        opsEnv.put("DORMANT_PASSWORD", "ops-secret");
        DormantProcess ops = new DormantProcess(opsEnv, temp.resolve("ops.log"));

        UpdateSet.Deb update = UpdateSet.of(Path.of(UPDATES)).standalone();
        DormantProcess.Outcome started = ops.run("run", "start", "web", update.file().toString());
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).startsWith("started run 1 on web");

        Tasklist tasklist = Tasklist.login(port, "admin", "admin-secret");
        JsonNode task = tasklist.awaitApproval(Duration.ofMinutes(5));
        JsonNode form = tasklist.formVariables(task.path("id").asText());
        assertThat(form.path("report").path("value").asText()).contains("run 1 of web, started by ops")
                .contains(update.name()).contains("diff web@1 -> staged result");
        assertThat(admin.run("task", "list").output()).contains("Approve the patched image").contains("web").contains("ops");
        assertThat(ops.run("task", "approve", task.path("id").asText()).output()).contains("not in the group image-admins");

        tasklist.submit(task.path("id").asText(), true, "looks right");

        DormantProcess.Outcome versions = null;
        for (int i = 0; i < 120 && (versions == null || !versions.output().contains("web@2")); i++) {
            Thread.sleep(1000);
            versions = admin.run("image", "versions", "web");
        }
        assertThat(versions.output()).contains("web@2").contains("patch");
        assertThat(admin.run("run", "show", "1").output()).contains("succeeded").contains("approved by admin");
        assertThat(admin.run("audit", "log", "--image", "web").output()).contains("version.staged").contains("patch.applied");
        assertThat(admin.run("audit", "verify").exitCode()).isZero();

        DormantProcess.Outcome created = ops.run("campaign", "create", "nightly", "--images", "web*", "--where", "openssl",
                "--patches", UPDATES, "--schedule", "0 0 3 * * ?", "--no-image-approval");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(admin.run("campaign", "list").output()).contains("nightly").contains("web* where openssl")
                .contains("0 0 3 * * ?");
        assertThat(admin.run("campaign", "status", "nightly").output()).contains("next scheduled run:");
        assertThat(ops.run("campaign", "unschedule", "nightly").exitCode()).isZero();
        assertThat(admin.run("campaign", "status", "nightly").output()).doesNotContain("next scheduled run:");
        DormantProcess.Outcome badSchedule = ops.run("campaign", "create", "broken", "--patches", UPDATES, "--schedule", "every night");
        assertThat(badSchedule.exitCode()).isNotZero();
        assertThat(badSchedule.output()).contains("'every night' is not a cron expression");
    }

    /** Tasklist's own API, used as its pages use it: a session cookie and the CSRF token. */
    record Tasklist(HttpClient http, CookieManager cookies, String base) {

        static Tasklist login(int port, String user, String password) throws Exception {
            CookieManager cookies = new CookieManager();
            HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
            String base = "http://localhost:" + port + "/camunda";
            http.send(HttpRequest.newBuilder(URI.create(base + "/app/tasklist/")).build(), HttpResponse.BodyHandlers.discarding());
            String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).findFirst().orElseThrow();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/admin/auth/user/default/login/tasklist"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                            + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            return new Tasklist(http, cookies, base + "/api/engine/engine/default");
        }

        JsonNode awaitApproval(Duration timeout) throws Exception {
            JsonNode filters = get("/filter?resourceType=Task");
            String filterId = null;
            for (JsonNode filter : filters) {
                if (filter.path("name").asText().equals("Approvals")) {
                    filterId = filter.path("id").asText();
                }
            }
            assertThat(filterId).as("the filter Approvals in " + filters).isNotNull();
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                JsonNode tasks = post("/filter/" + filterId + "/list", "{}");
                for (JsonNode task : tasks) {
                    if (task.path("name").asText().equals("Approve the patched image")) {
                        return task;
                    }
                }
                Thread.sleep(1000);
            }
            throw new AssertionError("no approval appeared in Tasklist's filter Approvals");
        }

        JsonNode formVariables(String taskId) throws Exception {
            return get("/task/" + taskId + "/form-variables");
        }

        void submit(String taskId, boolean approved, String comment) throws Exception {
            String body = "{\"variables\":{\"approved\":{\"value\":" + approved + ",\"type\":\"Boolean\"},"
                    + "\"comment\":{\"value\":" + JSON.writeValueAsString(comment) + ",\"type\":\"String\"}}}";
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/task/" + taskId + "/submit-form"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
        }

        private JsonNode get(String path) throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        private JsonNode post(String path, String json) throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            // The token changes with the session (a new one after login): send the newest, as Tasklist does.
            String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).reduce((first, last) -> last).orElse("");
            return http.send(request.header("X-XSRF-TOKEN", csrf).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
