package io.pushcqrs.model.mapping;

import io.pushcqrs.model.Notification;

/**
 * A notification-records item as {@link ItemSchemas#VIEW} maps it: the notification's data (flattened), its sort key,
 * the version and stream sequence number it was projected from, and the sparse, write-sharded index keys
 * (failures-index's failure_status and failure_sk, marketing-index's marketing_shard).
 */
public record ViewItem(Notification notification, String viewSk, Long sourceVersion, String sourceSeq,
                       String failureStatus, String failureSk, String marketingShard) {

    /** The mutable builder the schema reads items into. */
    public static final class Builder {
        private Notification notification;
        private String viewSk;
        private Long sourceVersion;
        private String sourceSeq;
        private String failureStatus;
        private String failureSk;
        private String marketingShard;

        public void notification(Notification v) { notification = v; }
        public void viewSk(String v) { viewSk = v; }
        public void sourceVersion(Long v) { sourceVersion = v; }
        public void sourceSeq(String v) { sourceSeq = v; }
        public void failureStatus(String v) { failureStatus = v; }
        public void failureSk(String v) { failureSk = v; }
        public void marketingShard(String v) { marketingShard = v; }

        public ViewItem build() {
            return new ViewItem(notification, viewSk, sourceVersion, sourceSeq, failureStatus, failureSk, marketingShard);
        }
    }
}
