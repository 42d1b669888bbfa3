package io.dormant.engine.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patch runs in the catalogue. The partial unique index on active runs per image is the lock that
 * keeps two runs off one image, whichever engine or campaign starts them.
 */
@Repository
public class PatchRuns {

    private static final String SELECT = "select r.id, i.name, sv.number as source_number, r.campaign_run_id,"
            + " r.process_instance_id, r.state, r.started_by, r.started_at, r.ended_at, r.staged_id,"
            + " cv.number as created_number, r.patches::text as patches, r.outcome"
            + " from dormant.patch_run r join dormant.image i on i.id = r.image_id"
            + " left join dormant.image_version sv on sv.id = r.source_version_id"
            + " left join dormant.image_version cv on cv.id = r.created_version_id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate separately;

    public PatchRuns(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.separately = new TransactionTemplate(transactions);
        separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Opens a run on an image, or fails with {@link ImageBusyException} while another run is active on it. */
    public long open(String image, String startedBy, Long campaignRunId, List<String> patches, String processInstanceId) {
        Long imageId = jdbc.query("select id from dormant.image where name = ?", rows -> rows.next() ? rows.getLong(1) : null, image);
        if (imageId == null) {
            throw new io.dormant.library.catalogue.UnknownImageException(image);
        }
        try {
            return jdbc.queryForObject("insert into dormant.patch_run (image_id, campaign_run_id, state, started_by, patches,"
                            + " process_instance_id) values (?, ?, 'running', ?, ?::jsonb, ?) returning id", Long.class,
                    imageId, campaignRunId, startedBy, json(patches), processInstanceId);
        } catch (DuplicateKeyException e) {
            throw new ImageBusyException(image, activeRunOf(image).map(PatchRun::id).orElse(null));
        }
    }

    /** Records that a run could not start because its image was busy: a finished run, for the campaign's summary. */
    public long recordBusy(String image, String startedBy, Long campaignRunId, String outcome) {
        return jdbc.queryForObject("insert into dormant.patch_run (image_id, campaign_run_id, state, started_by, ended_at,"
                        + " outcome) select id, ?, 'busy', ?, now(), ? from dormant.image where name = ? returning id",
                Long.class, campaignRunId, startedBy, outcome, image);
    }

    public Optional<PatchRun> activeRunOf(String image) {
        return jdbc.query(SELECT + " where i.name = ? and r.state in ('running', 'awaiting-approval')", this::row, image)
                .stream().findFirst();
    }

    public PatchRun get(long id) {
        return jdbc.query(SELECT + " where r.id = ?", this::row, id).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no patch run " + id + "; see 'dormant run list'"));
    }

    public List<PatchRun> recent(int limit) {
        return jdbc.query(SELECT + " order by r.id desc limit ?", this::row, limit);
    }

    public List<PatchRun> ofCampaignRun(long campaignRunId) {
        return jdbc.query(SELECT + " where r.campaign_run_id = ? order by i.name, r.id", this::row, campaignRunId);
    }

    public void setSource(long id, long versionId) {
        jdbc.update("update dormant.patch_run set source_version_id = ? where id = ?", versionId, id);
    }

    public void setPatches(long id, List<String> patches) {
        jdbc.update("update dormant.patch_run set patches = ?::jsonb where id = ?", json(patches), id);
    }

    public void setProcessInstance(long id, String processInstanceId) {
        jdbc.update("update dormant.patch_run set process_instance_id = ? where id = ?", processInstanceId, id);
    }

    /**
     * Records the staged result in a transaction of its own, like {@link #endNow}: the library has
     * committed it already, and a retry of the step must find it rather than stage a second one.
     */
    public void stagedNow(long id, long stagedId, String reportJson) {
        ownTransactionOrElseHere(() -> jdbc.update("update dormant.patch_run set staged_id = ?, report = ?::jsonb where id = ?",
                stagedId, reportJson, id));
    }

    public void awaitApproval(long id) {
        jdbc.update("update dormant.patch_run set state = 'awaiting-approval' where id = ? and state = 'running'", id);
    }

    /**
     * Records an outcome in its own transaction, so that it stays when the step that failed rolls
     * back. The failed step's transaction may hold the run's row: then this gives up after a moment
     * rather than wait for it forever (the incident still says why).
     */
    public void setOutcomeNow(long id, String outcome) {
        try {
            separately.executeWithoutResult(status -> {
                jdbc.execute("set local lock_timeout = '3s'");
                setOutcome(id, outcome);
            });
        } catch (org.springframework.dao.DataAccessException e) {
            // the row is locked by the failing step itself; its incident carries the message
        }
    }

    public void setOutcome(long id, String outcome) {
        jdbc.update("update dormant.patch_run set outcome = ? where id = ?", outcome, id);
    }

    /**
     * {@link #end}, in a transaction of its own: for a step whose effect the library has committed
     * already (a check-in), so that a retry of the step, after its job's transaction rolled back (an
     * optimistic-locking conflict at its end, say), finds the run ended instead of checking in again.
     * When the step's own transaction holds the run's row, the run ends in that transaction.
     */
    public boolean endNow(long id, String state, String outcome, Long createdVersionId) {
        return ownTransactionOrElseHere(() -> end(id, state, outcome, createdVersionId));
    }

    /**
     * Runs {@code update} in a transaction of its own; when the caller's transaction holds the row
     * it needs (it waits a moment, not forever), in the caller's transaction instead.
     */
    private <T> T ownTransactionOrElseHere(java.util.function.Supplier<T> update) {
        try {
            return separately.execute(status -> {
                jdbc.execute("set local lock_timeout = '3s'");
                return update.get();
            });
        } catch (org.springframework.dao.DataAccessException e) {
            return update.get();
        }
    }

    /** Ends a run; only an active run can end, so a late listener never rewrites how a run ended. */
    public boolean end(long id, String state, String outcome, Long createdVersionId) {
        return jdbc.update("update dormant.patch_run set state = ?, outcome = ?, ended_at = now(),"
                        + " created_version_id = coalesce(?, created_version_id) where id = ? and state in ('running', 'awaiting-approval')",
                state, outcome, createdVersionId, id) > 0;
    }

    public String report(long id) {
        return jdbc.query("select report::text from dormant.patch_run where id = ?", rows -> rows.next() ? rows.getString(1) : null, id);
    }

    private PatchRun row(ResultSet rows, int index) throws SQLException {
        String image = rows.getString("name");
        int source = rows.getInt("source_number");
        String sourceRef = rows.wasNull() ? null : image + "@" + source;
        int created = rows.getInt("created_number");
        String createdRef = rows.wasNull() ? null : image + "@" + created;
        long campaignRun = rows.getLong("campaign_run_id");
        Long campaignRunId = rows.wasNull() ? null : campaignRun;
        long staged = rows.getLong("staged_id");
        Long stagedId = rows.wasNull() ? null : staged;
        java.sql.Timestamp ended = rows.getTimestamp("ended_at");
        return new PatchRun(rows.getLong("id"), image, sourceRef, campaignRunId, rows.getString("process_instance_id"),
                rows.getString("state"), rows.getString("started_by"), rows.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant(), stagedId, createdRef, list(rows.getString("patches")),
                rows.getString("outcome"));
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("patch_run.patches is not a JSON list: " + e.getMessage(), e);
        }
    }
}
