package io.pushcqrs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.NotificationValidator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based (jqwik): the AttributeValue mapper and the request parsers either round-trip or refuse with a
 * 400-class error, for any generated input; never an unexpected exception. Bounded in tries, so the class runs in
 * seconds.
 */
class MappingAndParsingPropertiesTest {
    static final List<String> FIELDS = List.of("transaction_id", "created_at", "user_id", "marketing_id",
            "notification_title", "notification_body", "platform", "device_token", "payload", "status", "error_msg",
            "ap_id", "sns_id", "retry_cnt", "send_ts", "delivered_ts", "failed_ts", "version", "unknown_field");

    // ---------------------------------------------------------------- the AttributeValue mapper

    @Property(tries = 150)
    void aNotificationRoundTripsThroughItsCommandItem(@ForAll("notifications") Notification n) {
        Map<String, AttributeValue> item = NotificationMapper.toCommandItem(n);

        Notification back = NotificationMapper.fromCommandItem(item);

        assertThat(back.toBuilder().payload(null).build()).isEqualTo(n.toBuilder().payload(null).build());
        assertThat(String.valueOf(back.payload())).isEqualTo(String.valueOf(n.payload()));
        assertThat(NotificationMapper.toCommandItem(back)).isEqualTo(item);
    }

    @Property(tries = 150)
    void aNotificationsViewRoundTrips(@ForAll("notifications") Notification n, @ForAll("sequenceNumbers") String seq) {
        NotificationView view = NotificationView.of(n);
        Map<String, AttributeValue> item = NotificationMapper.toViewItem(view, ViewKeys.padSequence(seq));

        NotificationView back = NotificationMapper.fromViewItem(item);

        assertThat(NotificationMapper.toViewItem(back, ViewKeys.padSequence(seq))).isEqualTo(item);
    }

    @Property(tries = 300)
    void anyItemIsMappedOrRefusedNamingAField(@ForAll("items") Map<String, AttributeValue> item) {
        try {
            Notification n = NotificationMapper.fromCommandItem(item);
            assertThat(n).isNotNull();
        } catch (MappingException e) {
            assertThat(e.field()).isNotBlank();
        }
        try {
            NotificationMapper.fromViewItem(item);
        } catch (MappingException e) {
            assertThat(e.field()).isNotBlank();
        }
    }

    // ---------------------------------------------------------------- the request parsers

    @Property(tries = 300)
    void anyBodyIsReadOrA400(@ForAll("bodies") String body) {
        try {
            Notification n = Json.read(body, Notification.class);
            NotificationValidator.validateNew(n);
        } catch (ApiException e) {
            assertThat(e.code().httpStatus()).isBetween(400, 499);
        }
    }

    @Property(tries = 200)
    void anyJsonObjectOfTheRightFieldsIsReadOrA400(@ForAll("objects") String body) {
        try {
            Notification n = Json.read(body, Notification.class);
            NotificationValidator.validateNew(n);
            // what was accepted round-trips through the item
            assertThat(NotificationMapper.fromCommandItem(NotificationMapper.toCommandItem(n)).transactionId())
                    .isEqualTo(n.transactionId());
        } catch (ApiException e) {
            assertThat(e.code().httpStatus()).isBetween(400, 499);
            assertThat(e.toBody().details()).isNotNull();
        }
    }

    @Property(tries = 150)
    void anyQueryRequestIsReadOrA400(@ForAll("queryObjects") String body) {
        try {
            QueryRequest q = Json.read(body, QueryRequest.class);
            QueryValidator.validate(q);
        } catch (ApiException e) {
            assertThat(e.code().httpStatus()).isBetween(400, 499);
        }
    }

    // ---------------------------------------------------------------- generators

    static StringArbitrary text() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(24);
    }

    @Provide
    Arbitrary<String> sequenceNumbers() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.bigIntegers().between(java.math.BigInteger.ONE, java.math.BigInteger.TEN.pow(38)
                        .subtract(java.math.BigInteger.ONE)).map(String::valueOf));
    }

    @Provide
    Arbitrary<Notification> notifications() {
        Arbitrary<String> optional = text().injectNull(0.3);
        Arbitrary<Long> times = Arbitraries.longs().between(0, ViewKeys.MAX_TIME);
        Arbitrary<JsonNode> payload = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).map(s -> (Object) s),
                        Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b)))
                .ofMinSize(1).ofMaxSize(4).map(m -> (JsonNode) Json.MAPPER.valueToTree(m)).injectNull(0.3); // {} is stored as absent
        Arbitrary<Notification.Builder> a = Combinators.combine(text(), times, text(), optional, optional, optional,
                Arbitraries.of(Platform.class), text()).as((tx, created, user, marketing, title, body, platform, token) ->
                Notification.builder().transactionId(tx).createdAt(created).userId(user).marketingId(marketing)
                        .notificationTitle(title).notificationBody(body).platform(platform).deviceToken(token));
        return Combinators.combine(a, payload, Arbitraries.of(Status.class), optional, optional,
                Arbitraries.integers().between(0, 1000).injectNull(0.3), times.injectNull(0.5),
                Arbitraries.longs().between(1, 999_999_999_999_999L).injectNull(0.3))
                .as((b, p, status, error, sns, retry, ts, version) -> b.payload(p).status(status).errorMsg(error)
                        .snsId(sns).apId(error).retryCnt(retry).sendTs(ts).deliveredTs(ts).failedTs(ts).version(version)
                        .build());
    }

    @Provide
    Arbitrary<Map<String, AttributeValue>> items() {
        return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("view_sk", "source_seq",
                        "source_version", "deleted", "failure_status", "marketing_shard"), text()),
                attributeValues(1)).ofMaxSize(12);
    }

    static Arbitrary<AttributeValue> attributeValues(int depth) {
        List<Arbitrary<AttributeValue>> kinds = new ArrayList<>(List.of(
                Arbitraries.strings().ofMaxLength(12).map(AttributeValue::fromS),
                Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(45),
                                Arbitraries.of("1e999", "-0", "0.5", "1E+125", "abc", "", " 1", "1.0", "-1",
                                        "99999999999999999999", "NaN"))
                        .map(AttributeValue::fromN),
                Arbitraries.of(true, false).map(AttributeValue::fromBool),
                Arbitraries.just(AttributeValue.fromNul(true)),
                Arbitraries.just(AttributeValue.builder().build()),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(b -> AttributeValue.fromB(SdkBytes.fromByteArray(b))),
                Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(3).map(AttributeValue::fromSs),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5).list().ofMaxSize(3).map(AttributeValue::fromNs)));
        if (depth > 0) {
            kinds.add(attributeValues(depth - 1).list().ofMaxSize(3).map(AttributeValue::fromL));
            kinds.add(Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), attributeValues(depth - 1)).ofMaxSize(3)
                    .map(AttributeValue::fromM));
        }
        return Arbitraries.oneOf(kinds);
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn \\").ofMaxLength(60),
                objects().map(s -> s.substring(0, s.length() / 2)), // truncated JSON
                Arbitraries.of("", " ", "null", "[]", "{}", "\"x\"", "1", "{\"a\":1e999999999}", "{\"payload\":{\"\":1}}",
                        "{\"created_at\":1e400}", "\uFEFF{}", "{\"status\":\"sent\"}"));
    }

    @Provide
    Arbitrary<String> objects() {
        return Arbitraries.maps(Arbitraries.of(FIELDS), jsonValues(1)).ofMaxSize(FIELDS.size()).map(m -> {
            ObjectNode o = Json.MAPPER.createObjectNode();
            m.forEach(o::set);
            return o.toString();
        });
    }

    @Provide
    Arbitrary<String> queryObjects() {
        List<String> fields = List.of("type", "user_id", "marketing_id", "transaction_id", "sns_id", "from", "to",
                "limit", "cursor", "other");
        Arbitrary<JsonNode> type = Arbitraries.of("USER", "MARKETING", "TRANSACTION", "SNS", "FAILURES", "user", "X")
                .map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s));
        return Arbitraries.maps(Arbitraries.of(fields), Arbitraries.oneOf(jsonValues(1), type)).ofMaxSize(fields.size())
                .map(m -> {
                    ObjectNode o = Json.MAPPER.createObjectNode();
                    m.forEach(o::set);
                    return o.toString();
                });
    }

    static Arbitrary<JsonNode> jsonValues(int depth) {
        var f = Json.MAPPER.getNodeFactory();
        List<Arbitrary<JsonNode>> kinds = new ArrayList<>(List.of(
                Arbitraries.strings().ofMaxLength(20).map(s -> (JsonNode) f.textNode(s)),
                Arbitraries.of(Platform.class).map(p -> (JsonNode) f.textNode(p.name())),
                Arbitraries.of(Status.class).map(s -> (JsonNode) f.textNode(s.name())),
                Arbitraries.longs().map(l -> (JsonNode) f.numberNode(l)),
                Arbitraries.longs().between(0, ViewKeys.MAX_TIME).map(l -> (JsonNode) f.numberNode(l)),
                Arbitraries.bigDecimals().ofScale(3).between(new BigDecimal("-1E20"), new BigDecimal("1E20")).map(d -> (JsonNode) f.numberNode(d)),
                Arbitraries.of("1E-131", "1E+126", "0E-999999", "123456789012345678901234567890123456789", "-0.0", "1e1")
                        .map(s -> (JsonNode) f.numberNode(new BigDecimal(s))),
                Arbitraries.doubles().map(d -> (JsonNode) f.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) f.booleanNode(b)),
                Arbitraries.just((JsonNode) f.nullNode())));
        if (depth > 0) {
            kinds.add(jsonValues(depth - 1).list().ofMaxSize(3).map(l -> {
                var a = f.arrayNode();
                l.forEach(a::add);
                return (JsonNode) a;
            }));
            kinds.add(Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), jsonValues(depth - 1)).ofMaxSize(3).map(m -> {
                ObjectNode o = f.objectNode();
                m.forEach(o::set);
                return (JsonNode) o;
            }));
        }
        return Arbitraries.oneOf(kinds);
    }

    static Map<String, AttributeValue> copy(Map<String, AttributeValue> m) {
        return new LinkedHashMap<>(m);
    }
}
