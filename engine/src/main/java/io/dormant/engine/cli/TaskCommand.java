package io.dormant.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant task ...}: the approvals Tasklist shows, from the command line. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "List, show, approve and reject approval tasks (talks to './dormant serve').")
final class TaskCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the engine's JSON.")
    boolean json;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Open approval tasks, oldest first.")
    int list() {
        JsonNode tasks = ApiClient.fromEnvironment().get("api/tasks");
        if (json) {
            ApiClient.print(tasks);
            return 0;
        }
        Table table = new Table("TASK", "WHAT", "IMAGE", "RUN", "STARTED BY", "SINCE");
        for (JsonNode t : tasks) {
            table.row(t.path("id").asText(), t.path("name").asText(), t.path("image").asText(null),
                    t.path("runId").isNumber() ? "run " + t.path("runId").asLong() : "campaign run " + t.path("campaignRunId").asLong(),
                    t.path("starter").asText(), t.path("created").asText());
        }
        table.print();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A task with the report or plan to decide on.")
    int show(@Parameters(paramLabel = "TASK") String id) {
        JsonNode task = ApiClient.fromEnvironment().get("api/tasks/" + id);
        if (json) {
            ApiClient.print(task);
        } else {
            System.out.println(task.path("name").asText() + " (task " + id + ")");
            System.out.print(task.path("text").asText(""));
        }
        return 0;
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve: the result becomes the next version.")
    int approve(@Parameters(paramLabel = "TASK") String id,
                @Option(names = {"-m", "--comment"}, paramLabel = "TEXT") String comment) {
        return decide(id, "approve", comment);
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject: the result is dropped, the image stays as it was.")
    int reject(@Parameters(paramLabel = "TASK") String id,
               @Option(names = {"-m", "--comment"}, paramLabel = "TEXT") String comment) {
        return decide(id, "reject", comment);
    }

    private int decide(String id, String decision, String comment) {
        ApiClient api = ApiClient.fromEnvironment();
        JsonNode task = api.post("api/tasks/" + id + "/" + decision, Map.of("comment", comment == null ? "" : comment));
        if (json) {
            ApiClient.print(task);
        } else {
            System.out.println(api.user() + " " + decision.replace("approve", "approved").replace("reject", "rejected") + ": "
                    + task.path("name").asText() + (task.path("image").isTextual() ? " (" + task.path("image").asText() + ")" : ""));
        }
        return 0;
    }
}
