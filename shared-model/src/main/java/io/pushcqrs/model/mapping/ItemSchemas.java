package io.pushcqrs.model.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.util.function.BiConsumer;
import java.util.function.Function;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * One dynamodb-enhanced TableSchema per item type of the two tables (docs/architecture.md, "Items and their
 * schemas"): declared attribute by attribute (StaticImmutableTableSchema: no bean introspection, no reflection at
 * start-up), each with a strict converter that names the field in a {@link MappingException}.
 * <ul>
 *   <li>{@link #COMMAND}: a command-records item, and the stream images of one (same schema);</li>
 *   <li>{@link #VIEW}: a notification-records view (the notification's data flattened, view_sk, source_version,
 *       source_seq, the sparse, write-sharded index keys failure_status, failure_sk and marketing_shard);</li>
 *   <li>{@link #TOMBSTONE}: the tombstone of a deleted view; {@link #CLAIM}: command-lambda's create claim.</li>
 * </ul>
 * Items are written with ignoreNulls: null and empty values are left out.
 */
public final class ItemSchemas {
    private ItemSchemas() {
    }

    /** command-records: PK transaction_id, SK created_at; the notification's data and its version. */
    public static final StaticImmutableTableSchema<Notification, Notification.Builder> COMMAND = notification(true);

    /** The data of a view: a notification without version; PK user_id (notification-records). */
    static final StaticImmutableTableSchema<Notification, Notification.Builder> VIEW_DATA = notification(false);

    /** notification-records: PK user_id, SK view_sk. */
    public static final StaticImmutableTableSchema<ViewItem, ViewItem.Builder> VIEW =
            StaticImmutableTableSchema.builder(ViewItem.class, ViewItem.Builder.class)
                    .newItemBuilder(ViewItem.Builder::new, ViewItem.Builder::build)
                    .flatten(VIEW_DATA, ViewItem::notification, ViewItem.Builder::notification)
                    .addAttribute(String.class, a -> a.name(Attr.VIEW_SK).getter(ViewItem::viewSk)
                            .setter(ViewItem.Builder::viewSk).attributeConverter(Converters.text(Attr.VIEW_SK))
                            .tags(primarySortKey()))
                    .addAttribute(Long.class, a -> a.name(Attr.SOURCE_VERSION).getter(ViewItem::sourceVersion)
                            .setter(ViewItem.Builder::sourceVersion)
                            .attributeConverter(Converters.integer(Attr.SOURCE_VERSION)))
                    .addAttribute(String.class, a -> a.name(Attr.SOURCE_SEQ).getter(ViewItem::sourceSeq)
                            .setter(ViewItem.Builder::sourceSeq).attributeConverter(Converters.text(Attr.SOURCE_SEQ)))
                    .addAttribute(String.class, a -> a.name(Attr.FAILURE_STATUS).getter(ViewItem::failureStatus)
                            .setter(ViewItem.Builder::failureStatus)
                            .attributeConverter(Converters.text(Attr.FAILURE_STATUS)))
                    .addAttribute(String.class, a -> a.name(Attr.FAILURE_SK).getter(ViewItem::failureSk)
                            .setter(ViewItem.Builder::failureSk).attributeConverter(Converters.text(Attr.FAILURE_SK)))
                    .addAttribute(String.class, a -> a.name(Attr.MARKETING_SHARD).getter(ViewItem::marketingShard)
                            .setter(ViewItem.Builder::marketingShard)
                            .attributeConverter(Converters.text(Attr.MARKETING_SHARD)))
                    .build();

    /** A tombstone in notification-records (PK user_id, SK view_sk). */
    public static final StaticImmutableTableSchema<TombstoneItem, TombstoneItem.Builder> TOMBSTONE =
            StaticImmutableTableSchema.builder(TombstoneItem.class, TombstoneItem.Builder.class)
                    .newItemBuilder(TombstoneItem.Builder::new, TombstoneItem.Builder::build)
                    .addAttribute(String.class, a -> a.name(Attr.USER_ID).getter(TombstoneItem::userId)
                            .setter(TombstoneItem.Builder::userId).attributeConverter(Converters.text(Attr.USER_ID))
                            .tags(primaryPartitionKey()))
                    .addAttribute(String.class, a -> a.name(Attr.VIEW_SK).getter(TombstoneItem::viewSk)
                            .setter(TombstoneItem.Builder::viewSk).attributeConverter(Converters.text(Attr.VIEW_SK))
                            .tags(primarySortKey()))
                    .addAttribute(String.class, a -> a.name(Attr.SOURCE_SEQ).getter(TombstoneItem::sourceSeq)
                            .setter(TombstoneItem.Builder::sourceSeq)
                            .attributeConverter(Converters.text(Attr.SOURCE_SEQ)))
                    .addAttribute(Boolean.class, a -> a.name(Attr.DELETED).getter(TombstoneItem::deleted)
                            .setter(TombstoneItem.Builder::deleted).attributeConverter(Converters.bool(Attr.DELETED)))
                    .addAttribute(Long.class, a -> a.name(Attr.DELETED_AT).getter(TombstoneItem::deletedAt)
                            .setter(TombstoneItem.Builder::deletedAt)
                            .attributeConverter(Converters.integer(Attr.DELETED_AT)))
                    .addAttribute(Long.class, a -> a.name(Attr.EXPIRES_AT).getter(TombstoneItem::expiresAt)
                            .setter(TombstoneItem.Builder::expiresAt)
                            .attributeConverter(Converters.integer(Attr.EXPIRES_AT)))
                    .build();

    /** A create claim in command-records (PK transaction_id, SK created_at = -1). */
    public static final StaticImmutableTableSchema<ClaimItem, ClaimItem.Builder> CLAIM =
            StaticImmutableTableSchema.builder(ClaimItem.class, ClaimItem.Builder.class)
                    .newItemBuilder(ClaimItem.Builder::new, ClaimItem.Builder::build)
                    .addAttribute(String.class, a -> a.name(Attr.TRANSACTION_ID).getter(ClaimItem::transactionId)
                            .setter(ClaimItem.Builder::transactionId)
                            .attributeConverter(Converters.text(Attr.TRANSACTION_ID)).tags(primaryPartitionKey()))
                    .addAttribute(Long.class, a -> a.name(Attr.CREATED_AT).getter(ClaimItem::createdAt)
                            .setter(ClaimItem.Builder::createdAt).attributeConverter(Converters.integer(Attr.CREATED_AT))
                            .tags(primarySortKey()))
                    .addAttribute(Long.class, a -> a.name(CreateClaim.CLAIMED_CREATED_AT)
                            .getter(ClaimItem::claimedCreatedAt).setter(ClaimItem.Builder::claimedCreatedAt)
                            .attributeConverter(Converters.integer(CreateClaim.CLAIMED_CREATED_AT)))
                    .build();

    /** The schema of a notification: the data fields, and version when {@code versioned} (command-records). */
    private static StaticImmutableTableSchema<Notification, Notification.Builder> notification(boolean versioned) {
        Fields f = new Fields(StaticImmutableTableSchema.builder(Notification.class, Notification.Builder.class)
                .newItemBuilder(Notification::builder, Notification.Builder::build));
        if (versioned) {
            f.b.addAttribute(String.class, a -> a.name(Attr.TRANSACTION_ID).getter(Notification::transactionId)
                    .setter(Notification.Builder::transactionId)
                    .attributeConverter(Converters.text(Attr.TRANSACTION_ID)).tags(primaryPartitionKey()));
            f.b.addAttribute(Long.class, a -> a.name(Attr.CREATED_AT).getter(Notification::createdAt)
                    .setter(Notification.Builder::createdAt).attributeConverter(Converters.integer(Attr.CREATED_AT))
                    .tags(primarySortKey()));
            f.text(Attr.USER_ID, Notification::userId, Notification.Builder::userId);
        } else {
            f.text(Attr.TRANSACTION_ID, Notification::transactionId, Notification.Builder::transactionId);
            f.integer(Attr.CREATED_AT, Notification::createdAt, Notification.Builder::createdAt);
            f.b.addAttribute(String.class, a -> a.name(Attr.USER_ID).getter(Notification::userId)
                    .setter(Notification.Builder::userId).attributeConverter(Converters.text(Attr.USER_ID))
                    .tags(primaryPartitionKey()));
        }
        f.text(Attr.MARKETING_ID, Notification::marketingId, Notification.Builder::marketingId);
        f.text(Attr.NOTIFICATION_TITLE, Notification::notificationTitle, Notification.Builder::notificationTitle);
        f.text(Attr.NOTIFICATION_BODY, Notification::notificationBody, Notification.Builder::notificationBody);
        f.attribute(Platform.class, Attr.PLATFORM, Notification::platform, Notification.Builder::platform,
                Converters.enumOf(Attr.PLATFORM, Platform.class));
        f.text(Attr.DEVICE_TOKEN, Notification::deviceToken, Notification.Builder::deviceToken);
        f.attribute(JsonNode.class, Attr.PAYLOAD, Notification::payload, Notification.Builder::payload,
                new PayloadConverter(Attr.PAYLOAD));
        f.attribute(Status.class, Attr.STATUS, Notification::status, Notification.Builder::status,
                Converters.enumOf(Attr.STATUS, Status.class));
        f.text(Attr.ERROR_MSG, Notification::errorMsg, Notification.Builder::errorMsg);
        f.text(Attr.AP_ID, Notification::apId, Notification.Builder::apId);
        f.text(Attr.SNS_ID, Notification::snsId, Notification.Builder::snsId);
        f.attribute(Integer.class, Attr.RETRY_CNT, Notification::retryCnt, Notification.Builder::retryCnt,
                Converters.retryCount(Attr.RETRY_CNT));
        f.integer(Attr.SEND_TS, Notification::sendTs, Notification.Builder::sendTs);
        f.integer(Attr.DELIVERED_TS, Notification::deliveredTs, Notification.Builder::deliveredTs);
        f.integer(Attr.FAILED_TS, Notification::failedTs, Notification.Builder::failedTs);
        if (versioned) {
            f.integer(Attr.VERSION, Notification::version, Notification.Builder::version);
        }
        return f.b.build();
    }

    /** Adds a notification's attributes, each with its converter. */
    private record Fields(StaticImmutableTableSchema.Builder<Notification, Notification.Builder> b) {
        void text(String name, Function<Notification, String> getter, BiConsumer<Notification.Builder, String> setter) {
            attribute(String.class, name, getter, setter, Converters.text(name));
        }

        void integer(String name, Function<Notification, Long> getter, BiConsumer<Notification.Builder, Long> setter) {
            attribute(Long.class, name, getter, setter, Converters.integer(name));
        }

        <R> void attribute(Class<R> type, String name, Function<Notification, R> getter,
                           BiConsumer<Notification.Builder, R> setter, AttributeConverter<R> converter) {
            b.addAttribute(type, a -> a.name(name).getter(getter).setter(setter).attributeConverter(converter));
        }
    }
}
