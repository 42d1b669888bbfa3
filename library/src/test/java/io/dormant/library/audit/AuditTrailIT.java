package io.dormant.library.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.db.CatalogueSchema;
import io.dormant.library.db.DatabaseSettings;
import io.dormant.library.db.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The hash chain on a real PostgreSQL: intact after appends, broken by any edit or deletion in the table. */
class AuditTrailIT {

    private static Path home;
    private static EmbeddedPostgres postgres;
    private static PGSimpleDataSource dataSource;
    private AuditTrail trail;

    @BeforeAll
    static void startDatabase() throws Exception {
        home = Files.createTempDirectory(Path.of("/var/tmp"), "audit-db");
        postgres = new EmbeddedPostgres(home, Map.of());
        DatabaseSettings settings = postgres.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        CatalogueSchema.migrate(dataSource);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.stop();
        new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
    }

    @BeforeEach
    void emptyTrail() throws Exception {
        execute("truncate dormant.audit_event restart identity");
        trail = new AuditTrail(dataSource);
        trail.append("alice", "version.created", "image:web@1", AuditDetails.of(Map.of("reason", "import")));
        trail.append("bob", "approval.given", "image:web@2", AuditDetails.of(Map.of("comment", "ok \"quoted\"")));
        trail.append("alice", "version.exported", "image:web@2", "{}");
    }

    @Test
    void anUntouchedTrailVerifies() {
        AuditVerification result = trail.verify();

        assertThat(result.intact()).isTrue();
        assertThat(result.events()).isEqualTo(3);
        assertThat(trail.events("image:web@2")).extracting(AuditEvent::actor).containsExactly("bob", "alice");
    }

    @Test
    void anEditedRowBreaksTheChainAtThatRow() throws Exception {
        execute("update dormant.audit_event set actor = 'mallory' where id = 2");

        AuditVerification result = trail.verify();

        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).isEqualTo(2);
        assertThat(result.problem()).contains("event 2 was changed after it was written");
    }

    @Test
    void aDeletedRowBreaksTheChainAtItsSuccessor() throws Exception {
        execute("delete from dormant.audit_event where id = 2");

        AuditVerification result = trail.verify();

        assertThat(result.brokenAt()).isEqualTo(3);
        assertThat(result.problem()).contains("does not follow the event before it");
    }

    @Test
    void anEditedDetailIsFoundToo() throws Exception {
        execute("update dormant.audit_event set details = '{\"reason\": \"patch\"}' where id = 1");

        assertThat(trail.verify().brokenAt()).isEqualTo(1);
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute(sql);
        }
    }
}
