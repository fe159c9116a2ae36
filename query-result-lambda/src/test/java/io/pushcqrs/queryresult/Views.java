package io.pushcqrs.queryresult;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Test data: notifications and the view items the stream processor would write for them. */
public final class Views {
    private Views() {
    }

    public static Notification.Builder notification(String userId, long createdAt, String transactionId) {
        return Notification.builder()
                .userId(userId).createdAt(createdAt).transactionId(transactionId)
                .platform(Platform.IOS).deviceToken("token-" + transactionId)
                .notificationTitle("title " + transactionId).notificationBody("body")
                .status(Status.SENT);
    }

    public static Map<String, AttributeValue> item(Notification n) {
        return NotificationMapper.toViewItem(new NotificationView(n, 1L), null);
    }

    public static Map<String, AttributeValue> item(Notification.Builder n) {
        return item(n.build());
    }
}
