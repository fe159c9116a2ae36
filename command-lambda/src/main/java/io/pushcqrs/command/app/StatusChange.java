package io.pushcqrs.command.app;

import io.pushcqrs.model.Status;

/**
 * The body of {@code PATCH /commands/{transaction_id}}: the new status, the version the client
 * last saw (optimistic concurrency) and the fields that come with a status change. Null fields are
 * left as stored. {@code created_at} only picks one item when several share the transaction_id.
 */
public record StatusChange(
        Status status,
        Long version,
        Integer retryCnt,
        String errorMsg,
        Long sendTs,
        Long deliveredTs,
        Long failedTs,
        String apId,
        String snsId,
        Long createdAt) {

    StatusChange withDefaults(long now) {
        Long delivered = deliveredTs == null && status == Status.DELIVERED ? Long.valueOf(now) : deliveredTs;
        Long failed = failedTs == null && status == Status.FAILED ? Long.valueOf(now) : failedTs;
        return new StatusChange(status, version, retryCnt, blankToNull(errorMsg), sendTs, delivered, failed,
                blankToNull(apId), blankToNull(snsId), createdAt);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
