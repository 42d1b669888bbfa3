package io.dormant.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dormant campaign ...}: patch campaigns, run by the engine ({@code dormant serve}). */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Create, list, start, watch, cancel and unschedule patch campaigns (talks to './dormant serve').")
final class CampaignCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the engine's JSON.")
    boolean json;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a campaign.")
    int create(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--patches", required = true, paramLabel = "DIR|'deb URL SUITE [COMPONENT...]'",
                       description = "A directory of .deb files on the engine's machine, or a Debian repository.") String patches,
               @Option(names = "--images", split = ",", paramLabel = "GLOB", description = "Image name patterns (default: all).") List<String> images,
               @Option(names = "--where", paramLabel = "CONDITION",
                       description = "Inventory condition, repeatable: 'openssl << 3.0.22-1~deb12u2' or a package name.") List<String> where,
               @Option(names = "--schedule", paramLabel = "CRON", description = "Run on this schedule, e.g. '0 0 3 * * ?'.") String schedule,
               @Option(names = "--plan-approval", description = "An image admin approves the plan before any image is touched.") boolean planApproval,
               @Option(names = "--no-image-approval", description = "Check results in without a per-image approval.") boolean noImageApproval,
               @Option(names = "--concurrency", defaultValue = "2", description = "Images applied at once (default 2).") int concurrency) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("patches", patches);
        body.put("images", images == null ? List.of() : images);
        body.put("where", where == null ? List.of() : where);
        body.put("schedule", schedule);
        body.put("planApproval", planApproval);
        body.put("imageApproval", !noImageApproval);
        body.put("concurrency", concurrency);
        JsonNode campaign = ApiClient.fromEnvironment().post("api/campaigns", body);
        if (json) {
            ApiClient.print(campaign);
        } else {
            System.out.println("created campaign " + name + (schedule == null ? "; start it with 'dormant campaign start " + name + "'"
                    : "; it runs on the schedule " + schedule));
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List campaigns.")
    int list() {
        JsonNode campaigns = ApiClient.fromEnvironment().get("api/campaigns");
        if (json) {
            ApiClient.print(campaigns);
            return 0;
        }
        Table table = new Table("NAME", "IMAGES", "PATCHES", "SCHEDULE", "APPROVALS", "CONCURRENCY");
        for (JsonNode c : campaigns) {
            table.row(c.path("name").asText(), selector(c.path("selector")), c.path("patchSource").asText(),
                    c.path("schedule").asText("by hand"), approvals(c), c.path("concurrency").asInt());
        }
        table.print();
        return 0;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a run of a campaign now.")
    int start(@Parameters(paramLabel = "NAME") String name) {
        JsonNode run = ApiClient.fromEnvironment().post("api/campaigns/" + name + "/runs", Map.of());
        if (json) {
            ApiClient.print(run);
        } else {
            System.out.println("started run " + run.path("id").asLong() + " of campaign " + name
                    + "; follow it with 'dormant campaign status " + name + "'");
        }
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A campaign, its recent runs and its images.")
    int status(@Parameters(paramLabel = "NAME") String name) {
        JsonNode status = ApiClient.fromEnvironment().get("api/campaigns/" + name);
        if (json) {
            ApiClient.print(status);
            return 0;
        }
        JsonNode c = status.path("campaign");
        System.out.println("campaign " + c.path("name").asText() + ": " + selector(c.path("selector")) + ", patches from "
                + c.path("patchSource").asText() + ", " + approvals(c) + ", at most " + c.path("concurrency").asInt() + " at once");
        if (!status.path("nextScheduledRun").isMissingNode() && !status.path("nextScheduledRun").isNull()) {
            System.out.println("next scheduled run: " + status.path("nextScheduledRun").asText());
        }
        Table runs = new Table("RUN", "STATE", "STARTED", "BY", "IMAGES", "SUMMARY");
        for (JsonNode r : status.path("runs")) {
            runs.row(r.path("id").asLong(), r.path("state").asText(), r.path("startedAt").asText(), r.path("startedBy").asText(),
                    r.path("selection").size(), r.path("summary").asText(""));
        }
        runs.print();
        if (status.path("newestRunImages").size() > 0) {
            System.out.println();
            Table images = new Table("IMAGE", "RUN", "STATE", "FROM", "CREATED", "OUTCOME");
            for (JsonNode r : status.path("newestRunImages")) {
                images.row(r.path("image").asText(), r.path("id").asLong(), r.path("state").asText(), r.path("source").asText(null),
                        r.path("created").asText(null), r.path("outcome").asText(""));
            }
            images.print();
        }
        return 0;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel the active runs of a campaign: staged results are dropped, images stay as they were.")
    int cancel(@Parameters(paramLabel = "NAME") String name) {
        JsonNode cancelled = ApiClient.fromEnvironment().post("api/campaigns/" + name + "/cancel", Map.of());
        if (json) {
            ApiClient.print(cancelled);
        } else {
            System.out.println(cancelled.size() == 0 ? "campaign " + name + " has no active run"
                    : "cancelled " + cancelled.size() + " run(s) of campaign " + name);
        }
        return 0;
    }

    @Command(name = "unschedule", mixinStandardHelpOptions = true,
            description = "Remove a campaign's schedule; it can still be started by hand.")
    int unschedule(@Parameters(paramLabel = "NAME") String name) {
        JsonNode campaign = ApiClient.fromEnvironment().post("api/campaigns/" + name + "/unschedule", Map.of());
        if (json) {
            ApiClient.print(campaign);
        } else {
            System.out.println("campaign " + name + " no longer runs on a schedule; start it with 'dormant campaign start " + name + "'");
        }
        return 0;
    }

    private static String selector(JsonNode selector) {
        String names = selector.path("names").size() == 0 ? "every image" : join(selector.path("names"));
        return selector.path("where").size() == 0 ? names : names + " where " + join(selector.path("where"));
    }

    private static String approvals(JsonNode c) {
        return (c.path("planApproval").asBoolean() ? "plan approval, " : "")
                + (c.path("imageApproval").asBoolean() ? "per-image approval" : "no per-image approval");
    }

    private static String join(JsonNode values) {
        StringBuilder text = new StringBuilder();
        values.forEach(v -> text.append(text.length() == 0 ? "" : ", ").append(v.asText()));
        return text.toString();
    }
}
