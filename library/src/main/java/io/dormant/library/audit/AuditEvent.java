package io.dormant.library.audit;

import java.time.Instant;

/** One entry of the audit trail: who did what to which subject, when, and the chain hashes. */
public record AuditEvent(long id, Instant occurredAt, String actor, String kind, String subject, String details,
                         String previousHash, String hash) {
}
