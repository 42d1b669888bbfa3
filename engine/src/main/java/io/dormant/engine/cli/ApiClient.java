package io.dormant.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The commands that drive workflows (campaigns, runs, approvals) talk to the running engine over
 * its REST API, as the user named by {@code DORMANT_USER} and {@code DORMANT_PASSWORD}, at
 * {@code DORMANT_URL} (default http://localhost:8080): workflows live in the engine, not here.
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ApiClient(URI base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    static ApiClient fromEnvironment() {
        String url = System.getenv().getOrDefault("DORMANT_URL", "http://localhost:8080");
        String user = System.getenv().getOrDefault("DORMANT_USER", "admin");
        String password = System.getenv("DORMANT_PASSWORD");
        if (password == null && System.console() != null) {
            char[] typed = System.console().readPassword("password of %s at %s: ", user, url);
            password = typed == null ? null : new String(typed);
        }
        if (password == null) {
            throw new UserError("set DORMANT_PASSWORD (and DORMANT_USER, default admin) to the credentials of a Dormant user");
        }
        return new ApiClient(URI.create(url.endsWith("/") ? url : url + "/"), user, password);
    }

    String user() {
        return user;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), path);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Basic " + credentials).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new UserError("cannot reach the Dormant engine at " + base + ": start it with './dormant serve'"
                    + " (or set DORMANT_URL)");
        } catch (IOException e) {
            throw new UserError("the Dormant engine at " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 401) {
            throw new UserError("the engine refused the credentials of " + user + " (DORMANT_USER / DORMANT_PASSWORD)");
        }
        if (response.statusCode() >= 400) {
            String detail = body.path("detail").asText(body.path("message").asText(response.body()));
            throw new UserError(detail.isBlank() ? "the engine answered " + response.statusCode() + " to " + path : detail);
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    static void print(JsonNode node) {
        try {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
