package io.dormant.library.audit;

/**
 * The result of checking the chain: how many events were checked and, when broken, the first event
 * whose stored hash does not follow from its content and its predecessor.
 */
public record AuditVerification(long events, Long brokenAt, String problem) {

    public boolean intact() {
        return brokenAt == null;
    }
}
