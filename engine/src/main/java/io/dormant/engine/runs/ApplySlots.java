package io.dormant.engine.runs;

import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A campaign's concurrency limit: at most {@code concurrency} of its runs apply offline at once.
 * Waiting for an approval holds no slot. Slots are taken and given back in transactions of their
 * own, so that a failed apply, rolled back and retried by the engine, never keeps one.
 */
@Component
class ApplySlots {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate separately;

    ApplySlots(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.separately = new TransactionTemplate(transactions);
        separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Takes a slot for the run; a run outside a campaign needs none. */
    boolean take(PatchRun run) {
        if (run.campaignRunId() == null) {
            return true;
        }
        return Boolean.TRUE.equals(separately.execute(status -> {
            // The campaign run's row is the lock that makes count-then-take one step.
            Integer limit = jdbc.queryForObject("select c.concurrency from dormant.campaign_run r join dormant.campaign c"
                    + " on c.id = r.campaign_id where r.id = ? for update of r", Integer.class, run.campaignRunId());
            Integer busy = jdbc.queryForObject("select count(*) from dormant.apply_slot where campaign_run_id = ?"
                    + " and patch_run_id <> ?", Integer.class, run.campaignRunId(), run.id());
            if (busy >= limit) {
                return false;
            }
            jdbc.update("insert into dormant.apply_slot (patch_run_id, campaign_run_id) values (?, ?) on conflict do nothing",
                    run.id(), run.campaignRunId());
            return true;
        }));
    }

    void release(PatchRun run) {
        if (run.campaignRunId() != null) {
            separately.executeWithoutResult(status ->
                    jdbc.update("delete from dormant.apply_slot where patch_run_id = ?", run.id()));
        }
    }
}
