package io.pushcqrs.ops.insert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;

import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Random test commands, valid for POST /commands (NotificationValidator.validateNew): spread over {@code users}
 * users and {@code campaigns} campaigns, a share {@code failRatio} FAILED (with error_msg, failed_ts and
 * retries), the rest SENT or DELIVERED. With the same seed and start time the same commands come out, so a rerun
 * replays them.
 */
public final class CommandGenerator {
    private static final String[] TITLES = {"Your order shipped", "Flash sale", "New message", "Weekly digest",
            "Reminder", "Price drop"};
    private static final String[] ERRORS = {"InvalidPlatformToken", "EndpointDisabled", "Throttled by provider",
            "Device unregistered"};

    private final Random random;
    private final int users;
    private final int campaigns;
    private final double failRatio;
    private final long startMillis;
    private int index;

    public CommandGenerator(long seed, int users, int campaigns, double failRatio, long startMillis) {
        if (users < 1) {
            throw new IllegalArgumentException("--users must be at least 1");
        }
        if (campaigns < 0) {
            throw new IllegalArgumentException("--campaigns must not be negative");
        }
        if (failRatio < 0 || failRatio > 1) {
            throw new IllegalArgumentException("--fail-ratio must be between 0 and 1");
        }
        if (startMillis < 0) {
            throw new IllegalArgumentException("--start must not be before 1970");
        }
        this.random = new Random(seed);
        this.users = users;
        this.campaigns = campaigns;
        this.failRatio = failRatio;
        this.startMillis = startMillis;
    }

    /** The next command (created_at = start + its index in ms, so commands are time-ordered). */
    public Notification next() {
        int i = index++;
        long createdAt = startMillis + i;
        String tx = "tx-" + new UUID(random.nextLong(), random.nextLong()).toString();
        String user = String.format(Locale.ROOT, "user-%05d", random.nextInt(users));
        String campaign = campaigns == 0 || random.nextInt(10) == 0 ? null
                : String.format(Locale.ROOT, "campaign-%03d", random.nextInt(campaigns));
        Platform platform = Platform.values()[random.nextInt(Platform.values().length)];
        boolean failed = random.nextDouble() < failRatio;
        Status status = failed ? Status.FAILED : (random.nextBoolean() ? Status.SENT : Status.DELIVERED);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("deep_link", "app://inbox/" + (campaign == null ? "direct" : campaign));
        payload.put("badge", random.nextInt(10));
        Notification.Builder b = Notification.builder()
                .transactionId(tx)
                .createdAt(createdAt)
                .userId(user)
                .marketingId(campaign)
                .notificationTitle(TITLES[random.nextInt(TITLES.length)])
                .notificationBody("Test notification " + i + " for " + user)
                .platform(platform)
                .deviceToken(token(platform))
                .payload(payload)
                .status(status)
                .apId("ap-" + platform.name().toLowerCase(Locale.ROOT))
                .snsId(random.nextInt(4) == 0 ? null : "sns-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE))
                .sendTs(createdAt + 5);
        if (status == Status.DELIVERED) {
            b.deliveredTs(createdAt + 50 + random.nextInt(500));
        }
        if (failed) {
            b.errorMsg(ERRORS[random.nextInt(ERRORS.length)])
                    .retryCnt(1 + random.nextInt(3))
                    .failedTs(createdAt + 100 + random.nextInt(1000));
        } else {
            b.retryCnt(0);
        }
        return b.build();
    }

    private String token(Platform platform) {
        StringBuilder sb = new StringBuilder(platform == Platform.WEBPUSH ? "https://push.example.test/" : "");
        for (int i = 0; i < 32; i++) {
            sb.append(String.format(Locale.ROOT, "%02x", random.nextInt(256)));
        }
        return sb.toString();
    }
}
