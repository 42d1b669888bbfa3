package io.dormant.engine.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormant.engine.campaigns.LocalDebianRepository;
import io.dormant.engine.fixtures.UpdateSet;
import io.dormant.engine.runs.PatchImageService;
import io.dormant.engine.runs.PatchRuns;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.VersionReason;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ImageLibrary;
import io.dormant.library.progress.Progress;
import io.dormant.library.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The workflows end to end, through the engine and the REST API, on a real PostgreSQL: a campaign
 * over 20 imported images with the real bookworm-security update set, approvals with four eyes, a
 * rejection, a failure that becomes an incident, a campaign that runs on its cron schedule, and the
 * audit trail of it all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dormant.home=${java.io.tmpdir}/dormant-workflows-it-${random.uuid}",
        "DORMANT_ADMIN_PASSWORD=workflows-secret",
        "camunda.bpm.generic-properties.properties.failed-job-retry-time-cycle=R1/PT1S"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatchWorkflowsIT {

    static final String ADMIN = "admin:workflows-secret";
    static final String ALICE = "alice:alice-secret";
    static final String OPS = "ops:ops-secret";
    static final Path SERVICE_IMAGE = env("DORMANT_TEST_SERVICE_IMAGE");
    static final Path UPDATES = env("DORMANT_TEST_UPDATES");
    private static UpdateSet updateSet;
    static final Path ORACLE = env("DORMANT_TEST_ORACLE");

    @LocalServerPort
    int port;
    @Autowired
    ImageLibrary library;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    HistoryService history;
    @Autowired
    PatchRuns runs;
    @Autowired
    PatchImageService patchImage;
    @Autowired
    PlatformTransactionManager transactions;

    Api api;
    Path temp;
    LocalDebianRepository repository;

    /** The engine's own: the property names a new random directory each time it is read. */
    @Autowired
    @Qualifier("dormantHome")
    Path home;

    /**
     * The store, caches and scratch of twenty images are most of a run's disk (about half a
     * gigabyte); the embedded database stays for the context to stop at exit.
     */
    @AfterAll
    void stopRepositoryAndRemoveTheBulk() throws Exception {
        if (repository != null) {
            repository.close();
        }
        for (Path dir : new Path[] {temp, home.resolve("store"), home.resolve("cache"), home.resolve("scratch")}) {
            if (dir != null) {
                new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
            }
        }
    }

    @BeforeAll
    void importTwentyImagesAndAddUsers() throws Exception {
        assumeTrue(SERVICE_IMAGE != null && UPDATES != null && ORACLE != null,
                "bin/test builds the service image, its updates and the dpkg oracle");
        api = new Api(port);
        temp = Files.createTempDirectory("workflows-it");
        user("alice", "alice-secret", "image-admins");
        user("ops", "ops-secret", "operators");
        // Affected: the service image, under two names, and two variants of it.
        for (String name : List.of("web-1", "web-2", "web-3", "web-4")) {
            library.importImage(name, SERVICE_IMAGE, "tests", Progress.none());
        }
        variant("web-3", "web-3.example.org\n");
        variant("web-4", "web-4.example.org\n");
        // Not affected: the same image after dpkg installed the updates (the oracle), twelve times.
        for (int i = 5; i <= 16; i++) {
            library.importImage("web-" + i, ORACLE, "tests", Progress.none());
        }
        // Not selected by name: the service image again, for the single runs below.
        for (int i = 1; i <= 4; i++) {
            library.importImage("lab-" + i, SERVICE_IMAGE, "tests", Progress.none());
        }
        assertThat(library.catalogue().images()).hasSize(20);
    }

    @Test
    @Order(1)
    void aCampaignOverTwentyImagesMakesOneVersionPerAffectedImageAndNoneForTheOthers() throws Exception {
        HttpResponse<String> created = api.post("/api/campaigns", """
                {"name": "security", "images": ["web-*"], "where": ["apache2"], "patches": "%s",
                 "planApproval": true, "imageApproval": true, "concurrency": 2}""".formatted(UPDATES), OPS);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> started = api.post("/api/campaigns/security/runs", "", OPS);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);

        String planTask = awaitTask("Approve the campaign plan");
        assertThat(api.get("/api/tasks/" + planTask, ALICE).body()).contains("web-16").doesNotContain("lab-1");
        // The operator who started the run may not approve its plan (and is no image admin either).
        assertThat(api.post("/api/tasks/" + planTask + "/approve", "{}", OPS).statusCode()).isEqualTo(403);
        assertThat(api.post("/api/tasks/" + planTask + "/approve", "{\"comment\": \"go\"}", ALICE).statusCode()).isEqualTo(200);

        AtomicInteger peak = new AtomicInteger();
        for (int approved = 0; approved < 4; approved++) {
            String task = awaitTask("Approve the patched image", () -> peak.accumulateAndGet(applyingNow(), Math::max) >= 0);
            String body = api.get("/api/tasks/" + task, ADMIN).body();
            // What the admin decides on comes before the long list of script calls that the form may cut
            // (the body is JSON: a line break in the text is "\\n" in it).
            assertThat(body).contains("deferred to first boot").contains("diff web-").contains("plan for web-")
                    .containsPattern("\\\\n +1 +\\S+ +\\S+ +upgrade +\\S+ +\\S+\\\\n");
            HttpResponse<String> decided = api.post("/api/tasks/" + task + "/approve", "{\"comment\": \"ok\"}", ADMIN);
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        }
        await(Duration.ofMinutes(10), () -> "succeeded".equals(campaignRunState("security")));

        for (String name : List.of("web-1", "web-2", "web-3", "web-4")) {
            List<ImageVersion> versions = library.catalogue().versions(name);
            int patched = name.equals("web-3") || name.equals("web-4") ? 3 : 2;
            assertThat(versions).as(name).hasSize(patched);
            assertThat(versions.get(patched - 1).reason()).isEqualTo(VersionReason.PATCH);
            assertThat(library.inventory(new VersionRef(name, null)).stream().map(p -> p.name() + " " + p.version()))
                    .as(name).containsAll(updateSet().debs().stream().map(UpdateSet.Deb::nameAndVersion).toList());
        }
        assertThat(library.patches().of(library.catalogue().version(new VersionRef("web-1", null)))
                .stream().map(p -> p.name() + " " + p.version()))
                .containsExactlyInAnyOrderElementsOf(updateSet().debs().stream().map(UpdateSet.Deb::nameAndVersion).toList());
        for (int i = 5; i <= 16; i++) {
            assertThat(library.catalogue().versions("web-" + i)).as("web-" + i).hasSize(1);
        }
        for (int i = 1; i <= 4; i++) {
            assertThat(library.catalogue().versions("lab-" + i)).hasSize(1);
        }
        assertThat(jdbc.queryForList("select r.state from dormant.patch_run r join dormant.campaign_run c on c.id = r.campaign_run_id",
                String.class)).containsOnly("succeeded", "not-applicable").hasSize(16);
        assertThat(peak.get()).as("applies at once").isLessThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from dormant.staged_version", Integer.class)).isZero();
        assertThat(api.get("/api/campaigns/security", OPS).body()).contains("4 succeeded").contains("12 not-applicable");
    }

    @Test
    @Order(2)
    void theStarterCannotApproveAndARejectionMakesNoVersion() throws Exception {
        HttpResponse<String> started = api.post("/api/runs", """
                {"image": "lab-1", "patches": ["%s"]}""".formatted(smallestUpdate()), ADMIN);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String task = awaitTask("Approve the patched image", "lab-1");

        HttpResponse<String> ownApproval = api.post("/api/tasks/" + task + "/approve", "{}", ADMIN);
        assertThat(ownApproval.statusCode()).isEqualTo(403);
        assertThat(ownApproval.body()).contains("four eyes").contains("admin started this run");
        HttpResponse<String> rejected = api.post("/api/tasks/" + task + "/reject", "{\"comment\": \"not this week\"}", ALICE);
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);

        await(Duration.ofMinutes(2), () -> "rejected".equals(runState("lab-1")));
        assertThat(library.catalogue().versions("lab-1")).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from dormant.staged_version", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select outcome from dormant.patch_run r join dormant.image i on i.id = r.image_id"
                + " where i.name = 'lab-1'", String.class)).isEqualTo("rejected by alice: not this week");
    }

    @Test
    @Order(3)
    void aFailingApplyLeavesTheSourceUntouchedAndRaisesAnIncident() throws Exception {
        Path broken = failingUpgradeOfTzdata();
        ImageVersion before = library.catalogue().version(new VersionRef("lab-2", null));
        HttpResponse<String> started = api.post("/api/runs", """
                {"image": "lab-2", "patches": ["%s"]}""".formatted(broken), OPS);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);

        await(Duration.ofMinutes(3), () -> runtime.createIncidentQuery().activityId("Task_ApplyOffline").count() > 0);

        assertThat(library.catalogue().versions("lab-2")).containsExactly(before);
        assertThat(jdbc.queryForObject("select count(*) from dormant.staged_version", Integer.class)).isZero();
        String outcome = jdbc.queryForObject("select outcome from dormant.patch_run r join dormant.image i on i.id = r.image_id"
                + " where i.name = 'lab-2'", String.class);
        assertThat(outcome).contains("offline apply failed").contains("tzdata").contains("incident");
        assertThat(runtime.createIncidentQuery().singleResult().getIncidentMessage()).contains("tzdata");
        // The image stays locked while its run waits as an incident: a second run is refused.
        assertThat(api.post("/api/runs", """
                {"image": "lab-2", "patches": ["%s"]}""".formatted(broken), OPS).statusCode()).isEqualTo(409);
    }

    @Test
    @Order(4)
    void aScheduledCampaignFiresWhenItsTimeComesAndTakesItsPatchesFromARepository() throws Exception {
        repository = LocalDebianRepository.serve(temp.resolve("repo"), List.of(smallestUpdate()));
        HttpResponse<String> created = api.post("/api/campaigns", """
                {"name": "nightly", "images": ["lab-3"], "patches": "%s", "schedule": "0 0 3 * * ?",
                 "imageApproval": false}""".formatted(repository.line()), OPS);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Job timer = management.createJobQuery().timers().processDefinitionKey("campaign-schedule").singleResult();
        assertThat(timer.getDuedate()).isAfter(new Date());
        Thread.sleep(3_000);
        assertThat(jdbc.queryForObject("select count(*) from dormant.campaign_run r join dormant.campaign c on c.id = r.campaign_id"
                + " where c.name = 'nightly'", Integer.class)).isZero();

        ClockUtil.setCurrentTime(new Date(timer.getDuedate().getTime() + 1_000));
        try {
            await(Duration.ofMinutes(3), () -> "succeeded".equals(campaignRunState("nightly")));
        } finally {
            ClockUtil.reset();
        }

        assertThat(jdbc.queryForObject("select r.started_by from dormant.campaign_run r join dormant.campaign c"
                + " on c.id = r.campaign_id where c.name = 'nightly'", String.class)).isEqualTo("scheduler");
        assertThat(library.catalogue().versions("lab-3")).hasSize(2);
        assertThat(library.inventory(new VersionRef("lab-3", null)))
                .anySatisfy(p -> assertThat(p.name() + " " + p.version()).isEqualTo(updateSet().standalone().nameAndVersion()));
        Job next = management.createJobQuery().timers().processDefinitionKey("campaign-schedule").singleResult();
        assertThat(next.getDuedate()).as("the schedule re-arms").isAfter(timer.getDuedate());
    }

    @Test
    @Order(5)
    void stepsRetriedAfterTheirTransactionRolledBackNeitherStageNorCheckInTwice() throws Exception {
        // The steps of patch-image.bpmn, called as its delegates call them. A first attempt of each
        // step commits in the library (its own transactions), then the job's transaction rolls
        // back, as an optimistic-locking conflict at the end of a job makes it; the retry follows.
        long runId = runs.open("lab-4", "ops", null, List.of(smallestUpdate().toString()), null);
        assertThat(patchImage.checkOut(runId)).isEqualTo("lab-4@1");
        assertThat(patchImage.readInventory(runId)).isTrue();
        assertThat(rolledBack(() -> patchImage.applyOffline(runId))).isEqualTo(PatchImageService.STAGED);
        assertThat(patchImage.applyOffline(runId)).isEqualTo(PatchImageService.STAGED);
        assertThat(jdbc.queryForObject("select count(*) from dormant.staged_version", Integer.class)).as("staged once").isEqualTo(1);

        String first = rolledBack(() -> patchImage.checkIn(runId, "alice"));
        assertThat(library.catalogue().versions("lab-4")).as("the library's check-in stayed").hasSize(2);
        assertThat(runState("lab-4")).as("and so did the run's end").isEqualTo("succeeded");
        String retried = patchImage.checkIn(runId, "alice");

        assertThat(retried).isEqualTo(first).isEqualTo("lab-4@2");
        assertThat(library.catalogue().versions("lab-4")).hasSize(2);
        assertThat(runState("lab-4")).isEqualTo("succeeded");
    }

    @Test
    @Order(6)
    void theAuditTrailHoldsAfterTheRunsAndBreaksWhenARowIsChanged() throws Exception {
        String events = api.get("/api/audit", ALICE).body();
        assertThat(events).contains("campaign.created").contains("campaign.started").contains("approval.requested")
                .contains("approval.given").contains("approval.refused").contains("version.created")
                .contains("patch.applied").contains("campaign.ended");
        assertThat(api.get("/api/audit/verify", ALICE).body()).contains("\"intact\":true");

        jdbc.update("update dormant.audit_event set actor = 'mallory' where id = (select min(id) from dormant.audit_event"
                + " where kind = 'approval.given')");

        assertThat(api.get("/api/audit/verify", ALICE).body()).contains("\"intact\":false");
    }

    /** What {@code step} answers, run in a transaction that then rolls back. */
    private <T> T rolledBack(java.util.concurrent.Callable<T> step) {
        return new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly();
            try {
                return step.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String awaitTask(String name) throws Exception {
        return awaitTask(name, null, () -> true);
    }

    private String awaitTask(String name, String image) throws Exception {
        return awaitTask(name, image, () -> true);
    }

    private String awaitTask(String name, BooleanSupplier whileWaiting) throws Exception {
        return awaitTask(name, null, whileWaiting);
    }

    private String awaitTask(String name, String image, BooleanSupplier whileWaiting) throws Exception {
        String[] found = new String[1];
        await(Duration.ofMinutes(10), () -> {
            whileWaiting.getAsBoolean();
            found[0] = jdbc.query("select t.id_ from act_ru_task t where t.name_ = ? and (cast(? as text) is null or exists"
                    + " (select 1 from act_ru_variable v where v.proc_inst_id_ = t.proc_inst_id_ and v.name_ = 'image'"
                    + " and v.text_ = ?)) order by t.create_time_ limit 1",
                    rows -> rows.next() ? rows.getString(1) : null, name, image, image);
            return found[0] != null;
        });
        return found[0];
    }

    private int applyingNow() {
        return jdbc.queryForObject("select count(*) from dormant.apply_slot", Integer.class);
    }

    private String campaignRunState(String campaign) {
        return jdbc.query("select r.state from dormant.campaign_run r join dormant.campaign c on c.id = r.campaign_id"
                + " where c.name = ? order by r.id desc limit 1", rows -> rows.next() ? rows.getString(1) : null, campaign);
    }

    private String runState(String image) {
        return jdbc.query("select r.state from dormant.patch_run r join dormant.image i on i.id = r.image_id"
                + " where i.name = ? order by r.id desc limit 1", rows -> rows.next() ? rows.getString(1) : null, image);
    }

    private void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            List<String> incidents = runtime.createIncidentQuery().list().stream().map(i -> i.getIncidentMessage()).toList();
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out; patch runs: " + jdbc.queryForList(
                        "select i.name, r.state, r.outcome from dormant.patch_run r join dormant.image i on i.id = r.image_id")
                        + "; incidents: " + incidents);
            }
            Thread.sleep(500);
        }
    }

    private void variant(String image, String hostname) throws Exception {
        ImageVersion from = library.catalogue().version(new VersionRef(image, null));
        Workspace workspace = Workspace.open(library.store(), from.root());
        workspace.write("/etc/hostname", new ByteArrayInputStream(hostname.getBytes(StandardCharsets.UTF_8)));
        library.checkIn(from, workspace, VersionReason.PATCH, "tests", "variant: hostname " + hostname.strip());
    }

    private void user(String id, String password, String group) {
        User user = identity.newUser(id);
        user.setPassword(password);
        identity.saveUser(user);
        identity.createMembership(id, group);
    }

    private static Path smallestUpdate() {
        return updateSet().standalone().file();
    }

    /** Read once: each call would otherwise read every package file of the set again. */
    private static UpdateSet updateSet() {
        if (updateSet == null) {
            updateSet = UpdateSet.of(UPDATES);
        }
        return updateSet;
    }

    /** tzdata 9999 whose postinst fails: an upgrade of a package every image has, that cannot configure. */
    private Path failingUpgradeOfTzdata() throws Exception {
        Path root = temp.resolve("build-tzdata");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/doc/tzdata"));
        Files.writeString(root.resolve("usr/share/doc/tzdata/README"), "test package\n");
        Files.writeString(root.resolve("DEBIAN/control"), "Package: tzdata\nVersion: 9999\nArchitecture: all\n"
                + "Maintainer: Dormant tests <tests@dormant.invalid>\nDescription: test package\n");
        Path script = root.resolve("DEBIAN/postinst");
        Files.writeString(script, "#!/bin/sh\necho 'tzdata: cannot configure: disk on fire' >&2\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deb = temp.resolve("tzdata_9999_all.deb");
        Process build = new ProcessBuilder("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString())
                .redirectErrorStream(true).start();
        assertThat(build.waitFor()).isZero();
        return deb;
    }

    private static Path env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
