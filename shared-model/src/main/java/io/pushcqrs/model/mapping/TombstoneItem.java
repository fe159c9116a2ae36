package io.pushcqrs.model.mapping;

/**
 * A tombstone as {@link ItemSchemas#TOMBSTONE} maps it (docs/architecture.md, "A key's lifetimes"): the view's key,
 * the sequence number of the change that deleted it, {@code deleted} (BOOL true), when ({@code deleted_at}, epoch ms)
 * and when DynamoDB may remove it ({@code expires_at}, epoch seconds: the table's TTL attribute).
 */
public record TombstoneItem(String userId, String viewSk, String sourceSeq, Boolean deleted, Long deletedAt,
                            Long expiresAt) {

    /** The mutable builder the schema reads items into. */
    public static final class Builder {
        private String userId;
        private String viewSk;
        private String sourceSeq;
        private Boolean deleted;
        private Long deletedAt;
        private Long expiresAt;

        public void userId(String v) { userId = v; }
        public void viewSk(String v) { viewSk = v; }
        public void sourceSeq(String v) { sourceSeq = v; }
        public void deleted(Boolean v) { deleted = v; }
        public void deletedAt(Long v) { deletedAt = v; }
        public void expiresAt(Long v) { expiresAt = v; }

        public TombstoneItem build() {
            return new TombstoneItem(userId, viewSk, sourceSeq, deleted, deletedAt, expiresAt);
        }
    }
}
