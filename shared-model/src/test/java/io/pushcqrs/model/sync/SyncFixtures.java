package io.pushcqrs.model.sync;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

/** Commands and views for tests. */
final class SyncFixtures {
    private SyncFixtures() {
    }

    static Notification command(String tx, long createdAt, String user, Long version) {
        return Notification.builder().transactionId(tx).createdAt(createdAt).userId(user).marketingId("campaign-1")
                .notificationTitle("Hello").notificationBody("Body of " + tx).platform(Platform.IOS)
                .deviceToken("token-" + tx).payload(Json.readTree("{\"deep_link\":\"app://x\",\"n\":1.50}"))
                .status(Status.SENT).retryCnt(0).sendTs(createdAt + 1).version(version).build();
    }

    static Map<String, AttributeValue> commandItem(Notification n) {
        return NotificationMapper.toCommandItem(n);
    }

    /** The view the stream processor would write for a command (with a stream sequence number). */
    static Map<String, AttributeValue> streamView(Notification n, long seq) {
        return NotificationMapper.toViewItem(NotificationView.of(n), ViewKeys.padSequence(Long.toString(seq)));
    }

    /** The view a rebuild writes (no source_seq). */
    static Map<String, AttributeValue> rebuildView(Notification n) {
        return NotificationMapper.toViewItem(NotificationView.of(n), null);
    }

    static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String name, AttributeValue v) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        if (v == null) {
            copy.remove(name);
        } else {
            copy.put(name, v);
        }
        return copy;
    }
}
