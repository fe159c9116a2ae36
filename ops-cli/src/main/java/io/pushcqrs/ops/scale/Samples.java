package io.pushcqrs.ops.scale;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The notifications the model sizes its items from: what a campaign send and a transactional push carry in
 * practice (stated in docs/scaling.md), turned into the real command-records and notification-records items by the
 * mapper every function uses.
 */
public final class Samples {
    private Samples() {
    }

    /** The two kinds of notification in the mix. */
    public enum Kind {
        /** A campaign send: marketing_id, a promotional title and body, an image and deep link, an FCM token. */
        CAMPAIGN,
        /** A transactional push (an order shipped): no marketing_id, an APNs token. */
        TRANSACTIONAL
    }

    static final long CREATED = 1_764_150_000_123L;

    /** The notification as created (SENT), as command-lambda stores it at version 1. */
    public static Notification created(Kind kind) {
        Notification.Builder b = Notification.builder()
                .transactionId("3f9c2b7e-8d41-4a6f-b2c5-9e7d1a0c4f86")
                .createdAt(CREATED)
                .userId("6f1c2a9e-3b7d-4c1e-9a2f-8d4b5e6f7a8b")
                .snsId("0b8f7e2a-5c3d-4e9f-a1b6-7d2c8e4f9a13")
                .apId("ap-eu-central-1-prod-03")
                .status(Status.SENT).retryCnt(0).sendTs(CREATED + 40)
                .version(1L);
        if (kind == Kind.CAMPAIGN) {
            b.marketingId("cmp-2026-11-28-black-friday-eu")
                    .notificationTitle("Black Friday: 40% off everything until midnight")
                    .notificationBody("Your favourites are waiting. Take 40% off the whole shop today only, free delivery"
                            + " on orders over 30 EUR. Tap to see your picks.")
                    .platform(Platform.ANDROID)
                    .deviceToken("dQw4w9WgXcQ:APA91bH" + "x7Kp2LmN9qR4sT6vW8yZ0aB3cD5eF7gH1iJ2kL4mN6oP8qR0sT2uV4wX6yZ8aB1c"
                            + "D3eF5gH7iJ9kL1mN3oP5qR7sT9uV1wX3yZ5aB7cD9eF1gH3iJ5kL7mN9oP1qR3sT5uV7wX9yZ1aB")
                    .payload(Json.readTree("{\"deep_link\":\"myapp://promo/bf26?utm_source=push&utm_campaign=bf26\","
                            + "\"image\":\"https://cdn.example.com/push/bf26/hero-1080x540.jpg\",\"variant\":\"B\"}"));
        } else {
            b.notificationTitle("Your order A-1928374 has shipped")
                    .notificationBody("Good news: parcel 1Z999AA10123456784 is on its way and should arrive on Friday.")
                    .platform(Platform.IOS)
                    .deviceToken("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                    .payload(Json.readTree("{\"deep_link\":\"myapp://orders/A-1928374\",\"order_id\":\"A-1928374\"}"));
        }
        return b.build();
    }

    /** Delivered: the receipt's time, version 2. */
    public static Notification delivered(Kind kind) {
        return created(kind).toBuilder().status(Status.DELIVERED).deliveredTs(CREATED + 1_900).version(2L).build();
    }

    /** Failed: the provider's error and time, version 2. */
    public static Notification failed(Kind kind) {
        return created(kind).toBuilder().status(Status.FAILED).failedTs(CREATED + 350)
                .errorMsg("EndpointDisabled: the registration token is not registered with the provider any more")
                .version(2L).build();
    }

    /** Failed again after a retry: one more retry, a later failed_ts, version 3. */
    public static Notification retriedAndFailed(Kind kind) {
        return failed(kind).toBuilder().retryCnt(1).failedTs(CREATED + 30_350).version(3L).build();
    }

    /** The padded stream sequence number of the n-th record of the item. */
    public static String seq(int n) {
        return ViewKeys.padSequence("4950000000000000000000" + String.format("%018d", 1_234_567_890_123L + n));
    }

    /** The command-records item of a notification. */
    public static Map<String, AttributeValue> commandItem(Notification n) {
        return NotificationMapper.toCommandItem(n);
    }

    /** The create claim command-lambda writes with a create that names a transaction_id. */
    public static Map<String, AttributeValue> claimItem(Notification n) {
        Map<String, AttributeValue> claim = new LinkedHashMap<>();
        claim.put(Attr.TRANSACTION_ID, AttributeValue.fromS(n.transactionId()));
        claim.put(Attr.CREATED_AT, AttributeValue.fromN(Long.toString(CreateClaim.CREATED_AT)));
        claim.put(CreateClaim.CLAIMED_CREATED_AT, AttributeValue.fromN(Long.toString(n.createdAt())));
        return claim;
    }

    /** The tombstone a REMOVE leaves at the view's key. */
    public static Map<String, AttributeValue> tombstone(Notification n, String seq) {
        return Tombstones.item(n.userId(), n.createdAt(), n.transactionId(), seq, CREATED + 86_400_000L);
    }
}
