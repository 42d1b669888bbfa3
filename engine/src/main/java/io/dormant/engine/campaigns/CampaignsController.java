package io.dormant.engine.campaigns;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Patch campaigns over HTTP: the same operations as {@code dormant campaign ...}. */
@RestController
@RequestMapping("/api/campaigns")
@Tag(name = "campaigns", description = "Patch campaigns: create, list, start, status, cancel")
class CampaignsController {

    private final CampaignService campaigns;

    CampaignsController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a campaign (with a cron schedule, it also runs on it)")
    Campaign create(@RequestBody CampaignService.Request request, Principal user) {
        return campaigns.create(request, user.getName());
    }

    @GetMapping
    @Operation(summary = "List campaigns")
    List<Campaign> list() {
        return campaigns.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A campaign, its recent runs and the image runs of the newest")
    CampaignService.Status status(@PathVariable String name) {
        return campaigns.status(name);
    }

    @PostMapping("/{name}/runs")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start a run of the campaign now")
    CampaignRun start(@PathVariable String name, Principal user) {
        return campaigns.start(name, user.getName());
    }

    @PostMapping("/{name}/unschedule")
    @Operation(summary = "Remove the campaign's schedule; it can still be started by hand")
    Campaign unschedule(@PathVariable String name, Principal user) {
        return campaigns.unschedule(name, user.getName());
    }

    @PostMapping("/{name}/cancel")
    @Operation(summary = "Cancel the campaign's active runs")
    List<CampaignRun> cancel(@PathVariable String name, Principal user) {
        return campaigns.cancel(name, user.getName());
    }
}
