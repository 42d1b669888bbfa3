package io.dormant.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant run ...}: patch-image workflows for single images, with an approval. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start, list, show and cancel patch runs of single images (talks to './dormant serve').")
final class RunCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the engine's JSON.")
    boolean json;

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start patch-image: apply offline, wait for an image admin's approval, check in.")
    int start(@Parameters(index = "0", paramLabel = "IMAGE") String image,
              @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE") List<Path> files,
              @Option(names = "--no-approval", description = "Check the result in without an approval.") boolean noApproval) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image", image);
        body.put("patches", files.stream().map(f -> f.toAbsolutePath().toString()).toList());
        body.put("approval", !noApproval);
        JsonNode run = ApiClient.fromEnvironment().post("api/runs", body);
        if (json) {
            ApiClient.print(run);
        } else {
            System.out.println("started run " + run.path("id").asLong() + " on " + image
                    + (noApproval ? "" : "; an image admin approves it in Tasklist or with 'dormant task approve'")
                    + "; follow it with 'dormant run show " + run.path("id").asLong() + "'");
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest patch runs.")
    int list() {
        JsonNode runs = ApiClient.fromEnvironment().get("api/runs");
        if (json) {
            ApiClient.print(runs);
            return 0;
        }
        Table table = new Table("RUN", "IMAGE", "STATE", "FROM", "CREATED", "BY", "OUTCOME");
        for (JsonNode r : runs) {
            table.row(r.path("id").asLong(), r.path("image").asText(), r.path("state").asText(), r.path("source").asText(null),
                    r.path("created").asText(null), r.path("startedBy").asText(), r.path("outcome").asText(""));
        }
        table.print();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run, its report and any incident holding it.")
    int show(@Parameters(paramLabel = "RUN") long id) {
        JsonNode detail = ApiClient.fromEnvironment().get("api/runs/" + id);
        if (json) {
            ApiClient.print(detail);
            return 0;
        }
        JsonNode run = detail.path("run");
        System.out.println("run " + id + " on " + run.path("image").asText() + ": " + run.path("state").asText()
                + (run.path("outcome").asText("").isEmpty() ? "" : " (" + run.path("outcome").asText() + ")"));
        System.out.println("started by " + run.path("startedBy").asText() + " at " + run.path("startedAt").asText()
                + (run.path("source").isTextual() ? ", from " + run.path("source").asText() : "")
                + (run.path("created").isTextual() ? ", created " + run.path("created").asText() : ""));
        for (JsonNode incident : detail.path("incidents")) {
            System.out.println("incident: " + incident.asText() + " (retry or cancel it in Cockpit, or 'dormant run cancel " + id + "')");
        }
        if (detail.path("report").isTextual()) {
            System.out.print(detail.path("report").asText());
        }
        return 0;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run; a staged result is dropped.")
    int cancel(@Parameters(paramLabel = "RUN") long id) {
        JsonNode run = ApiClient.fromEnvironment().post("api/runs/" + id + "/cancel", Map.of());
        if (json) {
            ApiClient.print(run);
        } else {
            System.out.println("run " + id + " on " + run.path("image").asText() + ": " + run.path("state").asText());
        }
        return 0;
    }
}
