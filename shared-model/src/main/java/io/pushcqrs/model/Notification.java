package io.pushcqrs.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A notification delivery record as the write model (command-records) holds it.
 * Optional fields are null when absent. {@code version} is set only by command-lambda
 * (+1 on every write); items written by other tools carry none.
 */
public record Notification(
        String transactionId,
        Long createdAt,
        String userId,
        String marketingId,
        String notificationTitle,
        String notificationBody,
        Platform platform,
        String deviceToken,
        JsonNode payload,
        Status status,
        String errorMsg,
        String apId,
        String snsId,
        Integer retryCnt,
        Long sendTs,
        Long deliveredTs,
        Long failedTs,
        Long version) {

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .transactionId(transactionId).createdAt(createdAt).userId(userId).marketingId(marketingId)
                .notificationTitle(notificationTitle).notificationBody(notificationBody).platform(platform)
                .deviceToken(deviceToken).payload(payload).status(status).errorMsg(errorMsg).apId(apId)
                .snsId(snsId).retryCnt(retryCnt).sendTs(sendTs).deliveredTs(deliveredTs).failedTs(failedTs)
                .version(version);
    }

    /** Mutable builder; every setter returns the builder. */
    public static final class Builder {
        private String transactionId;
        private Long createdAt;
        private String userId;
        private String marketingId;
        private String notificationTitle;
        private String notificationBody;
        private Platform platform;
        private String deviceToken;
        private JsonNode payload;
        private Status status;
        private String errorMsg;
        private String apId;
        private String snsId;
        private Integer retryCnt;
        private Long sendTs;
        private Long deliveredTs;
        private Long failedTs;
        private Long version;

        private Builder() {
        }

        public Builder transactionId(String v) { transactionId = v; return this; }
        public Builder createdAt(Long v) { createdAt = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder marketingId(String v) { marketingId = v; return this; }
        public Builder notificationTitle(String v) { notificationTitle = v; return this; }
        public Builder notificationBody(String v) { notificationBody = v; return this; }
        public Builder platform(Platform v) { platform = v; return this; }
        public Builder deviceToken(String v) { deviceToken = v; return this; }
        public Builder payload(JsonNode v) { payload = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder errorMsg(String v) { errorMsg = v; return this; }
        public Builder apId(String v) { apId = v; return this; }
        public Builder snsId(String v) { snsId = v; return this; }
        public Builder retryCnt(Integer v) { retryCnt = v; return this; }
        public Builder sendTs(Long v) { sendTs = v; return this; }
        public Builder deliveredTs(Long v) { deliveredTs = v; return this; }
        public Builder failedTs(Long v) { failedTs = v; return this; }
        public Builder version(Long v) { version = v; return this; }

        public Notification build() {
            return new Notification(transactionId, createdAt, userId, marketingId, notificationTitle,
                    notificationBody, platform, deviceToken, payload, status, errorMsg, apId, snsId, retryCnt,
                    sendTs, deliveredTs, failedTs, version);
        }
    }
}
