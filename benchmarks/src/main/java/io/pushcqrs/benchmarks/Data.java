package io.pushcqrs.benchmarks;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.projection.app.ChangeRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmarks' data: notifications as the API creates them (every optional field of a typical one set). */
final class Data {
    static final long CREATED = 1_764_000_000_000L;

    private Data() {
    }

    static Notification notification(int i, String user) {
        com.fasterxml.jackson.databind.node.ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("deep_link", "app://inbox/campaign-" + (i % 20));
        payload.put("badge", i % 10);
        return Notification.builder()
                .transactionId(String.format(Locale.ROOT, "tx-%08d-0000-4000-8000-000000000000", i))
                .createdAt(CREATED + i)
                .userId(user)
                .marketingId("campaign-" + (i % 20))
                .notificationTitle("Flash sale")
                .notificationBody("Test notification " + i + " for " + user)
                .platform(Platform.values()[i % Platform.values().length])
                .deviceToken("token-" + Integer.toHexString(i * 7919))
                .payload(payload)
                .status(i % 20 == 0 ? Status.FAILED : Status.SENT)
                .errorMsg(i % 20 == 0 ? "EndpointDisabled" : null)
                .failedTs(i % 20 == 0 ? CREATED + i + 50 : null)
                .apId("ap-ios")
                .snsId("sns-" + Integer.toHexString(i))
                .retryCnt(0)
                .sendTs(CREATED + i + 5)
                .build();
    }

    /** INSERT records of {@code n} notifications over {@code users} users, sequence numbers from {@code firstSeq}. */
    static List<ChangeRecord> inserts(int n, int users, long firstSeq) {
        List<ChangeRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, AttributeValue> image = NotificationMapper.toCommandItem(notification(i, "user-" + (i % users)));
            Map<String, AttributeValue> keys = new LinkedHashMap<>();
            keys.put("transaction_id", image.get("transaction_id"));
            keys.put("created_at", image.get("created_at"));
            long seq = firstSeq + i;
            records.add(new ChangeRecord("ev-" + seq, ChangeRecord.INSERT, Long.toString(seq), keys, null, image,
                    CREATED + i));
        }
        return records;
    }

    static List<NotificationView> views(int n) {
        List<NotificationView> views = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            views.add(new NotificationView(notification(i, "user-1"), 1L));
        }
        return views;
    }
}
