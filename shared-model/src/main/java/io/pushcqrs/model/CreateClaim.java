package io.pushcqrs.model;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The create claim: an internal command-records item at the reserved key (transaction_id, created_at = -1)
 * that arbitrates concurrent creates of one transaction_id without a created_at. command-lambda writes it in
 * one transaction with the notification item it points to ({@link #CLAIMED_CREATED_AT}); a second create
 * finds it taken and answers with that item. created_at is never negative in a notification (validated on
 * every write), so the key never collides with one. It is not a notification: the API never shows it, the
 * stream processor does not project it, the operator tools skip it (docs/architecture.md, "Create claims").
 */
public final class CreateClaim {
    /** The sort key (created_at) of a claim. */
    public static final long CREATED_AT = -1L;
    /** The claim's pointer: the created_at of the notification item it claimed the transaction_id for. */
    public static final String CLAIMED_CREATED_AT = "claimed_created_at";

    private CreateClaim() {
    }

    /** True when an item, a key or a stream image is a claim (its created_at is the reserved -1). */
    public static boolean isClaim(Map<String, AttributeValue> itemOrKey) {
        if (itemOrKey == null) {
            return false;
        }
        AttributeValue createdAt = itemOrKey.get(Attr.CREATED_AT);
        if (createdAt == null || createdAt.n() == null) {
            return false;
        }
        try {
            return new BigDecimal(createdAt.n()).compareTo(BigDecimal.valueOf(CREATED_AT)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** True when a created_at is the claim's. */
    public static boolean isClaim(long createdAt) {
        return createdAt == CREATED_AT;
    }
}
