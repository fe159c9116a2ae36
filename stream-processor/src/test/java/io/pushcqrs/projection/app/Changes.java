package io.pushcqrs.projection.app;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test data: command items and the stream records of their changes. */
public final class Changes {
    public static final long CREATED = 1_700_000_000_000L;

    private Changes() {
    }

    /** A complete SENT notification of tx for user. */
    public static Notification.Builder command(String tx, String user) {
        return Notification.builder().transactionId(tx).createdAt(CREATED).userId(user).marketingId("camp-1")
                .notificationTitle("Hello").notificationBody("Body").platform(Platform.IOS).deviceToken("tok")
                .status(Status.SENT).retryCnt(0).sendTs(CREATED + 5);
    }

    public static Map<String, AttributeValue> item(Notification.Builder b) {
        return NotificationMapper.toCommandItem(b.build());
    }

    public static ChangeRecord insert(long seq, Map<String, AttributeValue> newImage) {
        return new ChangeRecord("ev-" + seq, ChangeRecord.INSERT, Long.toString(seq), keys(newImage), null, newImage);
    }

    public static ChangeRecord modify(long seq, Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        return new ChangeRecord("ev-" + seq, ChangeRecord.MODIFY, Long.toString(seq), keys(newImage), oldImage, newImage);
    }

    public static ChangeRecord remove(long seq, Map<String, AttributeValue> oldImage) {
        return new ChangeRecord("ev-" + seq, ChangeRecord.REMOVE, Long.toString(seq), keys(oldImage), oldImage, null);
    }

    /** A copy of an item with one attribute replaced (or removed when value is null). */
    public static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String name, AttributeValue value) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    private static Map<String, AttributeValue> keys(Map<String, AttributeValue> image) {
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        if (image != null) {
            if (image.containsKey("transaction_id")) {
                keys.put("transaction_id", image.get("transaction_id"));
            }
            if (image.containsKey("created_at")) {
                keys.put("created_at", image.get("created_at"));
            }
        }
        return keys;
    }
}
