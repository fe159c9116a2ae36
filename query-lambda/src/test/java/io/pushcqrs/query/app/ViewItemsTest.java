package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ViewItemsTest {

    @Test
    void flattensTheNotificationAndPutsAnIsoTwinAfterEveryTimeField() {
        ObjectNode item = ViewItems.toItem(FakeQueryResults.failedView());
        // compared as JSON text: field order matters (each _iso right after its field)
        assertThat(Json.write(item)).isEqualTo(Json.write(Json.readTree("""
                {"transaction_id":"tx-1","created_at":1795687200123,"created_at_iso":"2026-11-26T10:00:00.123Z",
                 "user_id":"u1","marketing_id":"m1","notification_title":"Hi","notification_body":"Body",
                 "platform":"IOS","device_token":"tok","payload":{"deep_link":"app://x"},"status":"FAILED",
                 "error_msg":"BadDeviceToken","sns_id":"sns-1","retry_cnt":2,
                 "send_ts":1795687205000,"send_ts_iso":"2026-11-26T10:00:05.000Z",
                 "failed_ts":1795687260000,"failed_ts_iso":"2026-11-26T10:01:00.000Z","source_version":3}
                """)));
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsSubsequence("created_at", "created_at_iso", "user_id")
                .containsSubsequence("send_ts", "send_ts_iso", "failed_ts", "failed_ts_iso", "source_version");
        assertThat(names.get(names.indexOf("failed_ts") + 1)).isEqualTo("failed_ts_iso");
    }

    @Test
    void absentFieldsGetNoIsoTwinAndNoSourceVersionWhenUnknown() {
        ObjectNode item = ViewItems.toItem(FakeQueryResults.sentView());
        assertThat(item.has("created_at_iso")).isTrue();
        assertThat(item.has("send_ts")).isFalse();
        assertThat(item.has("send_ts_iso")).isFalse();
        assertThat(item.has("delivered_ts_iso")).isFalse();
        assertThat(item.has("failed_ts_iso")).isFalse();
        assertThat(item.has("source_version")).isFalse();
        assertThat(item.has("error_msg")).isFalse();
    }

    @Test
    void deliveredTsGetsItsTwinToo() {
        ObjectNode item = ViewItems.toItem(new NotificationView(Notification.builder().transactionId("t")
                .createdAt(0L).userId("u").platform(Platform.WEBPUSH).deviceToken("d").status(Status.DELIVERED)
                .deliveredTs(86_400_001L).build(), 1L));
        assertThat(item.path("delivered_ts_iso").asText()).isEqualTo("1970-01-02T00:00:00.001Z");
        assertThat(item.path("created_at_iso").asText()).isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @Test
    void isoAlwaysHasMillisecondsAndUtc() {
        assertThat(ViewItems.iso(1_795_687_200_000L)).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(ViewItems.iso(1_795_687_200_120L)).isEqualTo("2026-11-26T10:00:00.120Z");
    }

    @Test
    void extremeTimesDoNotFail() {
        assertThat(ViewItems.iso(Long.MAX_VALUE)).startsWith("+292278994-08-17T07:12:55.807");
    }
}
