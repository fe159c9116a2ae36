package io.pushcqrs.model.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.ViewShards;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The model's items, in the terms every function and tool uses; the attribute-by-attribute mapping is
 * {@link ItemSchemas}' (dynamodb-enhanced), this class adds only what the schemas cannot say:
 * <ul>
 *   <li>a view's derived attributes: view_sk from created_at and transaction_id, the sparse, write-sharded index keys
 *       ({@link ViewShards}: failure_status and failure_sk of FAILED views, marketing_shard of views with a
 *       marketing_id), source_version and source_seq; and that a view needs its key attributes;</li>
 *   <li>that an empty item (or image) is an error, not a notification of nulls;</li>
 *   <li>single attributes read on their own (a stored item's key and version before the whole item).</li>
 * </ul>
 * Null and empty values are left out of the items; numbers stay exact; a wrong type, a non-integer where an integer
 * belongs or an unknown enum value is a {@link MappingException} naming the field, never a NullPointerException.
 */
public final class NotificationMapper {
    private NotificationMapper() {
    }

    // ---- model -> item ------------------------------------------------------------------------

    /** The command-records item of a notification (version included when set). */
    public static Map<String, AttributeValue> toCommandItem(Notification n) {
        return ordered(ItemSchemas.COMMAND, ItemSchemas.COMMAND.itemToMap(n, true));
    }

    /**
     * The notification-records item of a view: the data, its keys, the sparse index keys (failure_status = FAILED#k
     * and failure_sk on FAILED views only, marketing_shard = marketing_id#k on views with a marketing_id, k the view's
     * shard: {@link ViewShards}), source_version when known and source_seq (the padded stream sequence number) when the
     * view comes from a stream record.
     */
    public static Map<String, AttributeValue> toViewItem(NotificationView view, String sourceSeq) {
        Notification n = view.notification();
        require(Attr.TRANSACTION_ID, n.transactionId());
        require(Attr.CREATED_AT, n.createdAt());
        require(Attr.USER_ID, n.userId());
        String viewSk = view.viewSk();
        boolean failed = n.status() == Status.FAILED;
        boolean campaign = n.marketingId() != null && !n.marketingId().isEmpty();
        ViewItem item = new ViewItem(n.toBuilder().version(null).build(), viewSk, view.sourceVersion(), sourceSeq,
                failed ? ViewShards.failurePartition(viewSk) : null, failed ? ViewKeys.failureSk(n) : null,
                campaign ? ViewShards.marketingPartition(n.marketingId(), viewSk) : null);
        return ordered(ItemSchemas.VIEW, ItemSchemas.VIEW.itemToMap(item, true));
    }

    /**
     * The attributes of a view item that are derived from its data only to key the GSIs (failure_status, failure_sk,
     * marketing_shard): two view items that differ in nothing else hold the same data under another key layout
     * (ops-cli's rebuild re-keys such views).
     */
    public static final Set<String> INDEX_KEYS = Set.of(Attr.FAILURE_STATUS, Attr.FAILURE_SK,
            Attr.MARKETING_SHARD);

    /** The primary key of a view item. */
    public static Map<String, AttributeValue> viewKey(String userId, long createdAt, String transactionId) {
        return Key.builder().partitionValue(userId).sortValue(ViewKeys.viewSk(createdAt, transactionId)).build()
                .keyMap(ItemSchemas.VIEW, TableMetadata.primaryIndexName());
    }

    /** The primary key of a command item. */
    public static Map<String, AttributeValue> commandKey(String transactionId, long createdAt) {
        return Key.builder().partitionValue(transactionId).sortValue(createdAt).build()
                .keyMap(ItemSchemas.COMMAND, TableMetadata.primaryIndexName());
    }

    // ---- item -> model ------------------------------------------------------------------------

    /** Reads a command-records item (or a stream image of one). */
    public static Notification fromCommandItem(Map<String, AttributeValue> item) {
        Notification n = item == null || item.isEmpty() ? null : ItemSchemas.COMMAND.mapToItem(item);
        if (n == null) {
            throw new MappingException("item", "is empty");
        }
        return n;
    }

    /** Reads a notification-records item. */
    public static NotificationView fromViewItem(Map<String, AttributeValue> item) {
        ViewItem view = item == null || item.isEmpty() ? null : ItemSchemas.VIEW.mapToItem(item);
        if (view == null) {
            throw new MappingException("item", "is empty");
        }
        Notification data = view.notification() != null ? view.notification() : Notification.builder().build();
        return new NotificationView(data, view.sourceVersion());
    }

    /** A string attribute: absent, NULL or empty -> null; any other type is a mapping error. */
    public static String string(Map<String, AttributeValue> item, String field) {
        return Converters.text(field).transformTo(item.get(field));
    }

    /** An integral number attribute: absent or NULL -> null; not an integer -> mapping error. */
    public static Long longValue(Map<String, AttributeValue> item, String field) {
        return Converters.integer(field).transformTo(item.get(field));
    }

    /** Any AttributeValue as JSON, numbers exact ({@link PayloadConverter}). */
    public static JsonNode toJson(String field, AttributeValue v) {
        return PayloadConverter.toJson(field, v);
    }

    /** JSON as an AttributeValue: objects to M, arrays to L, numbers to exact N ({@link PayloadConverter}). */
    public static AttributeValue toAttributeValue(JsonNode node) {
        return PayloadConverter.toAttributeValue(node);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The item's attributes in the schema's order (readable logs and diffs), in a map the caller may change. */
    private static <T> Map<String, AttributeValue> ordered(StaticImmutableTableSchema<T, ?> schema,
                                                          Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : schema.attributeNames()) {
            AttributeValue value = item.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new MappingException(field, "is required");
        }
    }
}
