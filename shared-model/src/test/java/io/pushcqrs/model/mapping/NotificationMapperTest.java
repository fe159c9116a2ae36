package io.pushcqrs.model.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationMapperTest {

    static Notification full() {
        return Notification.builder()
                .transactionId("tx-1").createdAt(1_764_150_000_123L).userId("user-1").marketingId("camp-9")
                .notificationTitle("Hi").notificationBody("Body").platform(Platform.IOS).deviceToken("tok")
                .payload(Json.readTree("{\"deep\":{\"n\":12345678901234567890.000000000001,\"list\":[1,\"a\",true,null]},\"flag\":false}"))
                .status(Status.FAILED).errorMsg("boom").apId("ap-1").snsId("sns-1").retryCnt(2)
                .sendTs(1L).deliveredTs(null).failedTs(1_764_150_000_999L).version(3L)
                .build();
    }

    @Test
    void commandItemRoundTripsEveryFieldWithExactNumbers() {
        Notification n = full();
        Map<String, AttributeValue> item = NotificationMapper.toCommandItem(n);

        assertThat(item.get(Attr.CREATED_AT).n()).isEqualTo("1764150000123");
        assertThat(item.get(Attr.VERSION).n()).isEqualTo("3");
        assertThat(item.get(Attr.PAYLOAD).m().get("deep").m().get("n").n()).isEqualTo("12345678901234567890.000000000001");
        assertThat(item.get(Attr.PAYLOAD).m().get("deep").m().get("list").l().get(3).nul()).isTrue();
        assertThat(item).doesNotContainKey(Attr.DELIVERED_TS);

        Notification back = NotificationMapper.fromCommandItem(item);
        assertThat(back).isEqualTo(n);
    }

    @Test
    void nullAndEmptyValuesAreLeftOut() {
        Notification n = Notification.builder().transactionId("t").createdAt(5L).userId("u")
                .marketingId("").notificationTitle(null).payload(Json.readTree("{}")).build();
        Map<String, AttributeValue> item = NotificationMapper.toCommandItem(n);
        assertThat(item).containsOnlyKeys(Attr.TRANSACTION_ID, Attr.CREATED_AT, Attr.USER_ID);
    }

    @Test
    void viewItemCarriesKeysSourceVersionSequenceAndSparseFailureKeys() {
        NotificationView view = NotificationView.of(full());
        Map<String, AttributeValue> item = NotificationMapper.toViewItem(view, "0000000000000000000000000000000000000042");

        assertThat(item.get(Attr.VIEW_SK).s()).isEqualTo("001764150000123#tx-1");
        assertThat(item.get(Attr.SOURCE_VERSION).n()).isEqualTo("3");
        assertThat(item.get(Attr.SOURCE_SEQ).s()).endsWith("42");
        // the shard of view_sk 001764150000123#tx-1: SHA-256's first four bytes are 1360777492; mod 8 and 16 = 4
        assertThat(item.get(Attr.FAILURE_STATUS).s()).isEqualTo("FAILED#4");
        assertThat(item.get(Attr.FAILURE_SK).s()).isEqualTo("001764150000999#tx-1");
        assertThat(item.get(Attr.MARKETING_SHARD).s()).isEqualTo("camp-9#4");
        assertThat(item).doesNotContainKey(Attr.VERSION);

        NotificationView back = NotificationMapper.fromViewItem(item);
        assertThat(back).isEqualTo(view);
        assertThat(back.notification().version()).isNull();
    }

    @Test
    void nonFailedViewsCarryNoFailureKeys() {
        Notification sent = full().toBuilder().status(Status.SENT).build();
        Map<String, AttributeValue> item = NotificationMapper.toViewItem(NotificationView.of(sent), null);
        assertThat(item).doesNotContainKeys(Attr.FAILURE_STATUS, Attr.FAILURE_SK, Attr.SOURCE_SEQ);
        assertThat(item.get(Attr.MARKETING_SHARD).s()).isEqualTo("camp-9#4");
    }

    @Test
    void viewsWithoutMarketingIdCarryNoMarketingShard() {
        Notification direct = full().toBuilder().marketingId(null).build();
        assertThat(NotificationMapper.toViewItem(NotificationView.of(direct), null)).doesNotContainKey(Attr.MARKETING_SHARD);
    }

    @Test
    void everyWriteOfAnItemKeysItUnderTheSameShards() {
        // a status change, another user (a move), another campaign: the shard follows the command key alone
        Notification n = full();
        Map<String, AttributeValue> first = NotificationMapper.toViewItem(NotificationView.of(n), null);
        Map<String, AttributeValue> moved = NotificationMapper.toViewItem(NotificationView.of(n.toBuilder()
                .userId("user-2").retryCnt(5).failedTs(1_764_150_009_999L).marketingId("camp-10").build()), "1");

        assertThat(moved.get(Attr.FAILURE_STATUS)).isEqualTo(first.get(Attr.FAILURE_STATUS));
        assertThat(moved.get(Attr.MARKETING_SHARD).s()).isEqualTo("camp-10#4");
    }

    @Test
    void viewItemNeedsItsKeyAttributes() {
        Notification noUser = full().toBuilder().userId(null).build();
        assertThatThrownBy(() -> NotificationMapper.toViewItem(NotificationView.of(noUser), null))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("user_id")
                .extracting(e -> ((MappingException) e).field()).isEqualTo("user_id");
    }

    @Test
    void unknownEnumIsATypedErrorNamingTheField() {
        Map<String, AttributeValue> item = NotificationMapper.toCommandItem(full());
        item.put(Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"));
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(item))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("platform")
                .hasMessageContaining("BLACKBERRY");
    }

    @Test
    void wrongTypesAreTypedErrorsNamingTheField() {
        Map<String, AttributeValue> item = new HashMap<>(NotificationMapper.toCommandItem(full()));
        item.put(Attr.USER_ID, AttributeValue.fromN("12"));
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(item))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("user_id:").hasMessageContaining("(S)");

        item.put(Attr.USER_ID, AttributeValue.fromS("u"));
        item.put(Attr.CREATED_AT, AttributeValue.fromS("yesterday"));
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(item))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("created_at:");

        item.put(Attr.CREATED_AT, AttributeValue.fromN("1.5"));
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(item))
                .isInstanceOf(MappingException.class).hasMessageContaining("integer");

        item.put(Attr.CREATED_AT, AttributeValue.fromN("1"));
        item.put(Attr.RETRY_CNT, AttributeValue.fromN("-1"));
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(item))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("retry_cnt:");
    }

    @Test
    void nullAttributesReadAsAbsentAndEmptyItemsAreRejected() {
        Map<String, AttributeValue> item = new HashMap<>(NotificationMapper.toCommandItem(full()));
        item.put(Attr.SNS_ID, AttributeValue.fromNul(true));
        item.put(Attr.SEND_TS, AttributeValue.fromNul(true));
        Notification n = NotificationMapper.fromCommandItem(item);
        assertThat(n.snsId()).isNull();
        assertThat(n.sendTs()).isNull();
        assertThatThrownBy(() -> NotificationMapper.fromCommandItem(Map.of())).isInstanceOf(MappingException.class);
        assertThatThrownBy(() -> NotificationMapper.fromViewItem(null)).isInstanceOf(MappingException.class);
    }

    @Test
    void nestedValuesOfEveryTypeConvertToJson() {
        AttributeValue m = AttributeValue.fromM(Map.of(
                "s", AttributeValue.fromS("x"),
                "n", AttributeValue.fromN("0.10"),
                "b", AttributeValue.fromBool(true),
                "z", AttributeValue.fromNul(true),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("y"))),
                "ss", AttributeValue.fromSs(List.of("a", "b")),
                "ns", AttributeValue.fromNs(List.of("2"))));
        JsonNode json = NotificationMapper.toJson(Attr.PAYLOAD, m);
        assertThat(json.get("s").asText()).isEqualTo("x");
        assertThat(json.get("n").decimalValue()).isEqualByComparingTo("0.10");
        assertThat(json.get("n").decimalValue().scale()).isEqualTo(2);
        assertThat(json.get("b").booleanValue()).isTrue();
        assertThat(json.get("z").isNull()).isTrue();
        assertThat(json.get("l").get(1).asText()).isEqualTo("y");
        assertThat(json.get("ss")).hasSize(2);
        assertThat(json.get("ns").get(0).intValue()).isEqualTo(2);
    }

    @Test
    void emptyAttributeValueIsAMappingError() {
        assertThatThrownBy(() -> NotificationMapper.toJson("payload.x", AttributeValue.builder().build()))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("payload.x:");
    }

    @Test
    void keysAreDerivedFromTheRecord() {
        assertThat(NotificationMapper.viewKey("u", 7L, "t"))
                .containsEntry(Attr.USER_ID, AttributeValue.fromS("u"))
                .containsEntry(Attr.VIEW_SK, AttributeValue.fromS("000000000000007#t"));
        assertThat(NotificationMapper.commandKey("t", 7L))
                .containsEntry(Attr.CREATED_AT, AttributeValue.fromN("7"));
    }
}
