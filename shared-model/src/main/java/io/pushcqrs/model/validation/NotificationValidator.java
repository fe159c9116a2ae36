package io.pushcqrs.model.validation;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.json.Json;

import java.nio.charset.StandardCharsets;

/** Field-level validation of notifications as the API receives them. */
public final class NotificationValidator {
    private NotificationValidator() {
    }

    /**
     * A new notification (POST /commands): user_id, platform, device_token and status required;
     * ids, lengths, counters and times bounded; version is the service's, never the client's.
     */
    public static void validateNew(Notification n) {
        Checks c = new Checks()
                .required(Attr.USER_ID, n.userId())
                .required(Attr.PLATFORM, n.platform())
                .required(Attr.DEVICE_TOKEN, n.deviceToken())
                .required(Attr.STATUS, n.status())
                .absent(Attr.VERSION, n.version(), "is set by the service and may not be sent");
        checkFields(c, n);
        c.throwIfAny();
    }

    /** Bounds shared by every write: ids, lengths, payload size, counters and times. */
    public static void checkFields(Checks c, Notification n) {
        c.id(Attr.TRANSACTION_ID, n.transactionId())
                .id(Attr.USER_ID, n.userId())
                .id(Attr.MARKETING_ID, n.marketingId())
                .id(Attr.AP_ID, n.apId())
                .id(Attr.SNS_ID, n.snsId())
                .maxLength(Attr.NOTIFICATION_TITLE, n.notificationTitle(), Limits.MAX_TITLE)
                .maxLength(Attr.NOTIFICATION_BODY, n.notificationBody(), Limits.MAX_BODY_TEXT)
                .maxLength(Attr.DEVICE_TOKEN, n.deviceToken(), Limits.MAX_DEVICE_TOKEN)
                .maxLength(Attr.ERROR_MSG, n.errorMsg(), Limits.MAX_ERROR_MSG)
                .range(Attr.RETRY_CNT, n.retryCnt(), 0, Limits.MAX_RETRY_CNT)
                .epochMillis(Attr.CREATED_AT, n.createdAt())
                .epochMillis(Attr.SEND_TS, n.sendTs())
                .epochMillis(Attr.DELIVERED_TS, n.deliveredTs())
                .epochMillis(Attr.FAILED_TS, n.failedTs());
        if (n.payload() != null) {
            int size = Json.write(n.payload()).getBytes(StandardCharsets.UTF_8).length;
            if (size > Limits.MAX_PAYLOAD_BYTES) {
                c.add(Attr.PAYLOAD, "must be at most " + Limits.MAX_PAYLOAD_BYTES + " bytes of JSON (was " + size + ")");
            }
        }
    }
}
