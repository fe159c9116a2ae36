package io.pushcqrs.model.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapper between DynamoDB AttributeValue maps and the model, used by every function.
 * <ul>
 *   <li>Null and empty values are left out of the items it writes.</li>
 *   <li>Numbers stay exact (payload numbers are BigDecimal; counters and times must be integers).</li>
 *   <li>A wrong type, a non-integer where an integer belongs or an unknown enum value is a
 *       {@link MappingException} naming the field, never a NullPointerException.</li>
 * </ul>
 */
public final class NotificationMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private NotificationMapper() {
    }

    // ---- model -> item ------------------------------------------------------------------------

    /** The command-records item of a notification (version included when set). */
    public static Map<String, AttributeValue> toCommandItem(Notification n) {
        Map<String, AttributeValue> item = dataAttributes(n);
        putNumber(item, Attr.VERSION, n.version());
        return item;
    }

    /**
     * The notification-records item of a view: the data, its keys, the sparse failure keys
     * (FAILED only), source_version when known and source_seq (the padded stream sequence
     * number) when the view comes from a stream record.
     */
    public static Map<String, AttributeValue> toViewItem(NotificationView view, String sourceSeq) {
        Notification n = view.notification();
        require(Attr.TRANSACTION_ID, n.transactionId());
        require(Attr.CREATED_AT, n.createdAt());
        require(Attr.USER_ID, n.userId());
        Map<String, AttributeValue> item = dataAttributes(n);
        item.put(Attr.VIEW_SK, s(view.viewSk()));
        putNumber(item, Attr.SOURCE_VERSION, view.sourceVersion());
        putString(item, Attr.SOURCE_SEQ, sourceSeq);
        if (n.status() == Status.FAILED) {
            item.put(Attr.FAILURE_STATUS, s(Schema.FAILURE_PARTITION));
            item.put(Attr.FAILURE_SK, s(ViewKeys.failureSk(n)));
        }
        return item;
    }

    /** The primary key of a view item. */
    public static Map<String, AttributeValue> viewKey(String userId, long createdAt, String transactionId) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(Attr.USER_ID, s(userId));
        key.put(Attr.VIEW_SK, s(ViewKeys.viewSk(createdAt, transactionId)));
        return key;
    }

    /** The primary key of a command item. */
    public static Map<String, AttributeValue> commandKey(String transactionId, long createdAt) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(Attr.TRANSACTION_ID, s(transactionId));
        key.put(Attr.CREATED_AT, AttributeValue.fromN(Long.toString(createdAt)));
        return key;
    }

    private static Map<String, AttributeValue> dataAttributes(Notification n) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        putString(item, Attr.TRANSACTION_ID, n.transactionId());
        putNumber(item, Attr.CREATED_AT, n.createdAt());
        putString(item, Attr.USER_ID, n.userId());
        putString(item, Attr.MARKETING_ID, n.marketingId());
        putString(item, Attr.NOTIFICATION_TITLE, n.notificationTitle());
        putString(item, Attr.NOTIFICATION_BODY, n.notificationBody());
        putString(item, Attr.PLATFORM, n.platform() == null ? null : n.platform().name());
        putString(item, Attr.DEVICE_TOKEN, n.deviceToken());
        if (n.payload() != null && !isEmpty(n.payload())) {
            item.put(Attr.PAYLOAD, toAttributeValue(n.payload()));
        }
        putString(item, Attr.STATUS, n.status() == null ? null : n.status().name());
        putString(item, Attr.ERROR_MSG, n.errorMsg());
        putString(item, Attr.AP_ID, n.apId());
        putString(item, Attr.SNS_ID, n.snsId());
        putNumber(item, Attr.RETRY_CNT, n.retryCnt());
        putNumber(item, Attr.SEND_TS, n.sendTs());
        putNumber(item, Attr.DELIVERED_TS, n.deliveredTs());
        putNumber(item, Attr.FAILED_TS, n.failedTs());
        return item;
    }

    // ---- item -> model ------------------------------------------------------------------------

    /** Reads a command-records item (or a stream image of one). */
    public static Notification fromCommandItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            throw new MappingException("item", "is empty");
        }
        return data(item).version(longValue(item, Attr.VERSION)).build();
    }

    /** Reads a notification-records item. */
    public static NotificationView fromViewItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            throw new MappingException("item", "is empty");
        }
        return new NotificationView(data(item).build(), longValue(item, Attr.SOURCE_VERSION));
    }

    private static Notification.Builder data(Map<String, AttributeValue> item) {
        Long retry = longValue(item, Attr.RETRY_CNT);
        if (retry != null && (retry < 0 || retry > Integer.MAX_VALUE)) {
            throw new MappingException(Attr.RETRY_CNT, "must be between 0 and " + Integer.MAX_VALUE + ", was " + retry);
        }
        return Notification.builder()
                .transactionId(string(item, Attr.TRANSACTION_ID))
                .createdAt(longValue(item, Attr.CREATED_AT))
                .userId(string(item, Attr.USER_ID))
                .marketingId(string(item, Attr.MARKETING_ID))
                .notificationTitle(string(item, Attr.NOTIFICATION_TITLE))
                .notificationBody(string(item, Attr.NOTIFICATION_BODY))
                .platform(enumValue(item, Attr.PLATFORM, Platform.class))
                .deviceToken(string(item, Attr.DEVICE_TOKEN))
                .payload(item.containsKey(Attr.PAYLOAD) ? toJson(Attr.PAYLOAD, item.get(Attr.PAYLOAD)) : null)
                .status(enumValue(item, Attr.STATUS, Status.class))
                .errorMsg(string(item, Attr.ERROR_MSG))
                .apId(string(item, Attr.AP_ID))
                .snsId(string(item, Attr.SNS_ID))
                .retryCnt(retry == null ? null : retry.intValue())
                .sendTs(longValue(item, Attr.SEND_TS))
                .deliveredTs(longValue(item, Attr.DELIVERED_TS))
                .failedTs(longValue(item, Attr.FAILED_TS));
    }

    /** A string attribute: absent, NULL or empty -> null; any other type is a mapping error. */
    public static String string(Map<String, AttributeValue> item, String field) {
        AttributeValue v = item.get(field);
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.s() == null) {
            throw new MappingException(field, "expected a string (S) but was " + stored(v));
        }
        return v.s().isEmpty() ? null : v.s();
    }

    /** An integral number attribute: absent or NULL -> null; not an integer -> mapping error. */
    public static Long longValue(Map<String, AttributeValue> item, String field) {
        AttributeValue v = item.get(field);
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.n() == null) {
            throw new MappingException(field, "expected a number (N) but was " + stored(v));
        }
        try {
            return new BigDecimal(v.n()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MappingException(field, "expected an integer that fits in 64 bits but was " + shorten(v.n()));
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, AttributeValue> item, String field, Class<E> type) {
        String raw = string(item, field);
        if (raw == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw);
        } catch (IllegalArgumentException e) {
            throw new MappingException(field, "unknown value '" + shorten(raw) + "' (expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ")");
        }
    }

    // ---- nested values (payload) --------------------------------------------------------------

    /** Converts any AttributeValue (S, N, BOOL, NULL, M, L, and sets) to JSON; numbers stay exact. */
    public static JsonNode toJson(String field, AttributeValue v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v.s() != null) {
            return NODES.textNode(v.s());
        }
        if (v.n() != null) {
            return number(field, v.n());
        }
        if (v.bool() != null) {
            return NODES.booleanNode(v.bool());
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return NODES.nullNode();
        }
        if (v.hasM()) {
            ObjectNode obj = NODES.objectNode();
            v.m().forEach((k, child) -> obj.set(k, toJson(field + "." + k, child)));
            return obj;
        }
        if (v.hasL()) {
            ArrayNode arr = NODES.arrayNode();
            List<AttributeValue> list = v.l();
            for (int i = 0; i < list.size(); i++) {
                arr.add(toJson(field + "[" + i + "]", list.get(i)));
            }
            return arr;
        }
        if (v.hasSs()) {
            ArrayNode arr = NODES.arrayNode();
            v.ss().forEach(arr::add);
            return arr;
        }
        if (v.hasNs()) {
            ArrayNode arr = NODES.arrayNode();
            v.ns().forEach(x -> arr.add(number(field, x)));
            return arr;
        }
        if (v.b() != null) {
            return NODES.binaryNode(v.b().asByteArray());
        }
        throw new MappingException(field, "unsupported attribute type " + typeOf(v));
    }

    /**
     * A number node as Json.MAPPER would parse the same literal: integers as int/long/big-integer
     * nodes, anything with a fraction or exponent as an exact decimal. So a payload read back from
     * DynamoDB equals the payload the client sent.
     */
    private static JsonNode number(String field, String literal) {
        try {
            if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
                java.math.BigInteger big = new java.math.BigInteger(literal);
                if (big.bitLength() < 32) {
                    return NODES.numberNode(big.intValue());
                }
                return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
            }
            return NODES.numberNode(new BigDecimal(literal));
        } catch (NumberFormatException e) {
            throw new MappingException(field, "not a number: " + literal);
        }
    }

    /** Converts JSON to an AttributeValue: objects to M, arrays to L, numbers to exact N. */
    public static AttributeValue toAttributeValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isTextual()) {
            return s(node.textValue());
        }
        if (node.isNumber()) {
            // Numbers arrive checked against DynamoDB's range (DynamoNumbers), so the plain form is short;
            // a zero is written as 0 whatever its scale.
            BigDecimal value = node.decimalValue();
            return AttributeValue.fromN(value.signum() == 0 ? "0" : value.toPlainString());
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.booleanValue());
        }
        if (node.isBinary()) {
            try {
                return AttributeValue.fromB(SdkBytes.fromByteArray(node.binaryValue()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        if (node.isObject()) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                m.put(e.getKey(), toAttributeValue(e.getValue()));
            }
            return AttributeValue.fromM(m);
        }
        List<AttributeValue> l = new ArrayList<>();
        node.forEach(child -> l.add(toAttributeValue(child)));
        return AttributeValue.fromL(l);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || node.isMissingNode()
                || (node.isTextual() && node.textValue().isEmpty())
                || (node.isContainerNode() && node.isEmpty());
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new MappingException(field, "is required");
        }
    }

    private static void putString(Map<String, AttributeValue> item, String field, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(field, s(value));
        }
    }

    private static void putNumber(Map<String, AttributeValue> item, String field, Number value) {
        if (value != null) {
            item.put(field, AttributeValue.fromN(value.toString()));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** A stored value for a message: its type and, for a scalar, the value itself (shortened). */
    static String stored(AttributeValue v) {
        if (v.s() != null) {
            return "S '" + shorten(v.s()) + "'";
        }
        if (v.n() != null) {
            return "N " + shorten(v.n());
        }
        if (v.bool() != null) {
            return "BOOL " + v.bool();
        }
        return typeOf(v);
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    static String typeOf(AttributeValue v) {
        AttributeValue.Type type = v.type();
        return type == null || type == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION ? "an empty value" : type.name();
    }
}
