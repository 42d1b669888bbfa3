package io.dormant.library.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * The append-only audit trail. Each event carries the SHA-256 of its own content and of the event
 * before it, so that changing or deleting any row breaks the chain from that row on, which
 * {@link #verify()} finds. Appends are serialised by a transaction-scoped advisory lock.
 */
public final class AuditTrail {

    static final String GENESIS = "0".repeat(64);
    private static final long APPEND_LOCK = 0x646f726d616e74L; // "dormant"

    private final DataSource dataSource;

    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public AuditEvent append(String actor, String kind, String subject, String detailsJson) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                connection.createStatement().execute("select pg_advisory_xact_lock(" + APPEND_LOCK + ")");
                String previous = lastHash(connection);
                // jsonb stores its own canonical text; the hash covers exactly what will be read back.
                String details = canonical(connection, detailsJson == null ? "{}" : detailsJson);
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                String hash = hash(previous, at, actor, kind, subject, details);
                long id;
                try (PreparedStatement insert = connection.prepareStatement("insert into dormant.audit_event"
                        + " (occurred_at, actor, kind, subject, details, previous_hash, hash) values (?, ?, ?, ?, ?::jsonb, ?, ?)"
                        + " returning id")) {
                    insert.setTimestamp(1, Timestamp.from(at));
                    insert.setString(2, actor);
                    insert.setString(3, kind);
                    insert.setString(4, subject);
                    insert.setString(5, details);
                    insert.setString(6, previous);
                    insert.setString(7, hash);
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                        id = rows.getLong(1);
                    }
                }
                connection.commit();
                return new AuditEvent(id, at, actor, kind, subject, details, previous, hash);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to the audit trail: " + e.getMessage(), e);
        }
    }

    /** Events oldest first; {@code subjectPrefix} (e.g. "image:web") narrows them, null for all. */
    public List<AuditEvent> events(String subjectPrefix) {
        String sql = "select id, occurred_at, actor, kind, subject, details::text, previous_hash, hash"
                + " from dormant.audit_event" + (subjectPrefix == null ? "" : " where subject like ?") + " order by id";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            if (subjectPrefix != null) {
                query.setString(1, subjectPrefix.replace("%", "\\%").replace("_", "\\_") + "%");
            }
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(read(rows));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit trail: " + e.getMessage(), e);
        }
    }

    /** Recomputes every hash in order; the first mismatch or gap in the chain is reported. */
    public AuditVerification verify() {
        String previous = GENESIS;
        long checked = 0;
        for (AuditEvent event : events(null)) {
            if (!event.previousHash().equals(previous)) {
                return new AuditVerification(checked, event.id(), "event " + event.id()
                        + " does not follow the event before it: an event was deleted or its hash changed");
            }
            String expected = hash(previous, event.occurredAt(), event.actor(), event.kind(), event.subject(), event.details());
            if (!expected.equals(event.hash())) {
                return new AuditVerification(checked, event.id(), "event " + event.id()
                        + " was changed after it was written: its content no longer matches its hash");
            }
            previous = event.hash();
            checked++;
        }
        return new AuditVerification(checked, null, null);
    }

    private static String lastHash(Connection connection) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(
                "select hash from dormant.audit_event order by id desc limit 1")) {
            return rows.next() ? rows.getString(1) : GENESIS;
        }
    }

    private static String canonical(Connection connection, String json) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select ?::jsonb::text")) {
            query.setString(1, json);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static AuditEvent read(ResultSet rows) throws SQLException {
        return new AuditEvent(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8));
    }

    static String hash(String previous, Instant at, String actor, String kind, String subject, String details) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {previous, at.toString(), actor, kind, subject, details}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, so that no two different events can hash the same text.
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
