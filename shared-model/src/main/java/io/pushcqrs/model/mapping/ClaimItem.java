package io.pushcqrs.model.mapping;

/**
 * A create claim as {@link ItemSchemas#CLAIM} maps it ({@link io.pushcqrs.model.CreateClaim}): the transaction_id,
 * the reserved created_at -1 and the created_at of the item it claimed the transaction_id for.
 */
public record ClaimItem(String transactionId, Long createdAt, Long claimedCreatedAt) {

    /** The mutable builder the schema reads items into. */
    public static final class Builder {
        private String transactionId;
        private Long createdAt;
        private Long claimedCreatedAt;

        public void transactionId(String v) { transactionId = v; }
        public void createdAt(Long v) { createdAt = v; }
        public void claimedCreatedAt(Long v) { claimedCreatedAt = v; }

        public ClaimItem build() {
            return new ClaimItem(transactionId, createdAt, claimedCreatedAt);
        }
    }
}
