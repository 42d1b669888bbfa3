package io.dormant.engine.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Campaigns and their runs in the catalogue. */
@Repository
public class Campaigns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMPAIGN = "select id, name, image_selector::text as selector, patch_source, schedule,"
            + " plan_approval, image_approval, concurrency, enabled, created_by, created_at from dormant.campaign";
    private static final String RUN = "select r.id, c.name, r.state, r.process_instance_id, r.started_by, r.started_at,"
            + " r.ended_at, r.selection::text as selection, r.summary::text as summary, r.error"
            + " from dormant.campaign_run r join dormant.campaign c on c.id = r.campaign_id";

    private final JdbcTemplate jdbc;

    public Campaigns(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Campaign create(String name, ImageSelector selector, String patchSource, String schedule, boolean planApproval,
                           boolean imageApproval, int concurrency, String actor) {
        try {
            long id = jdbc.queryForObject("insert into dormant.campaign (name, image_selector, patch_source, schedule,"
                            + " plan_approval, image_approval, concurrency, created_by) values (?, ?::jsonb, ?, ?, ?, ?, ?, ?)"
                            + " returning id", Long.class, name, json(Map.of("names", selector.names(), "where", selector.where())),
                    patchSource, schedule, planApproval, imageApproval, concurrency, actor);
            return byId(id);
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("a campaign named '" + name + "' exists already; see 'dormant campaign list'");
        }
    }

    public void unschedule(long id) {
        jdbc.update("update dormant.campaign set schedule = null, updated_at = now() where id = ?", id);
    }

    public List<Campaign> all() {
        return jdbc.query(CAMPAIGN + " order by name", Campaigns::campaign);
    }

    public Campaign byName(String name) {
        return jdbc.query(CAMPAIGN + " where name = ?", Campaigns::campaign, name).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no campaign '" + name + "'; see 'dormant campaign list'"));
    }

    public Campaign byId(long id) {
        return jdbc.query(CAMPAIGN + " where id = ?", Campaigns::campaign, id).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no campaign " + id));
    }

    public Campaign ofRun(long runId) {
        return byId(jdbc.queryForObject("select campaign_id from dormant.campaign_run where id = ?", Long.class, runId));
    }

    public long openRun(Campaign campaign, String startedBy) {
        return jdbc.queryForObject("insert into dormant.campaign_run (campaign_id, state, started_by) values (?, 'selecting', ?)"
                + " returning id", Long.class, campaign.id(), startedBy);
    }

    public void setProcessInstance(long runId, String processInstanceId) {
        jdbc.update("update dormant.campaign_run set process_instance_id = ? where id = ?", processInstanceId, runId);
    }

    public void selected(long runId, List<String> images, String state) {
        jdbc.update("update dormant.campaign_run set selection = ?::jsonb, images_selected = ?, state = ? where id = ?",
                json(images), images.size(), state, runId);
    }

    public void setState(long runId, String state) {
        jdbc.update("update dormant.campaign_run set state = ? where id = ?", state, runId);
    }

    /** Ends a run once; a late listener never rewrites how it ended. */
    public boolean end(long runId, String state, Map<String, Object> summary, String error) {
        return jdbc.update("update dormant.campaign_run set state = ?, summary = ?::jsonb, error = ?, ended_at = now()"
                + " where id = ? and ended_at is null", state, json(summary), error, runId) > 0;
    }

    public CampaignRun run(long runId) {
        return jdbc.query(RUN + " where r.id = ?", Campaigns::run, runId).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no campaign run " + runId));
    }

    public List<CampaignRun> runsOf(String campaign, int limit) {
        return jdbc.query(RUN + " where c.name = ? order by r.id desc limit ?", Campaigns::run, campaign, limit);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Campaign campaign(ResultSet rows, int index) throws SQLException {
        Map<String, List<String>> selector = read(rows.getString("selector"), new TypeReference<>() { });
        return new Campaign(rows.getLong("id"), rows.getString("name"),
                new ImageSelector(selector.get("names"), selector.get("where")), rows.getString("patch_source"),
                rows.getString("schedule"), rows.getBoolean("plan_approval"), rows.getBoolean("image_approval"),
                rows.getInt("concurrency"), rows.getBoolean("enabled"), rows.getString("created_by"),
                rows.getTimestamp("created_at").toInstant());
    }

    private static CampaignRun run(ResultSet rows, int index) throws SQLException {
        java.sql.Timestamp ended = rows.getTimestamp("ended_at");
        Map<String, Object> summary = read(rows.getString("summary"), new TypeReference<>() { });
        return new CampaignRun(rows.getLong("id"), rows.getString("name"), rows.getString("state"),
                rows.getString("process_instance_id"), rows.getString("started_by"), rows.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant(), read(rows.getString("selection"), new TypeReference<>() { }),
                (String) summary.getOrDefault("text", ""), rows.getString("error"));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the catalogue: " + e.getMessage(), e);
        }
    }
}
