package io.pushcqrs.model.mapping;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewKeys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tombstones of the read model (docs/architecture.md, "A key's lifetimes").
 * <p>
 * When a command is deleted (or moves to another user_id), its view is not deleted: it is replaced, at the same
 * key (user_id, view_sk), by a tombstone that keeps the ordering guard's {@code source_seq}, so that a replayed
 * older record of the deleted lifetime stays refused while the first record of a new lifetime (a later sequence
 * number) is admitted. A tombstone holds only its key, {@code source_seq}, {@code deleted} (BOOL true),
 * {@code deleted_at} and {@code expires_at} (the table's TTL attribute). It carries none of the GSI key attributes,
 * so no GSI ever holds a tombstone; the table's user query hides them with {@link #LIVE_ONLY_FILTER}.
 */
public final class Tombstones {
    /**
     * How long a DynamoDB stream keeps a record. A tombstone whose delete is older than this cannot be contradicted
     * by any stream record any more: a rebuild may overwrite it.
     */
    public static final Duration STREAM_RETENTION = Duration.ofHours(24);
    /** How long after the delete a tombstone expires (TTL): beyond the stream's retention, with a margin. */
    public static final Duration TIME_TO_LIVE = Duration.ofHours(48);
    /** A filter expression that keeps live views only; {@code #deleted} names {@link Attr#DELETED}. */
    public static final String LIVE_ONLY_FILTER = "attribute_not_exists(#deleted)";
    /** The expression attribute name of {@link #LIVE_ONLY_FILTER}. */
    public static final String DELETED_NAME = "#deleted";

    private Tombstones() {
    }

    /**
     * The tombstone of the view at (userId, view_sk of createdAt and transactionId).
     *
     * @param sourceSeq  the padded sequence number of the change that deleted (or moved) the command
     * @param deletedAt  when that change happened, epoch milliseconds
     */
    public static Map<String, AttributeValue> item(String userId, long createdAt, String transactionId, String sourceSeq,
                                                   long deletedAt) {
        if (sourceSeq == null || sourceSeq.isEmpty()) {
            throw new IllegalArgumentException("a tombstone needs the sequence number of its change");
        }
        TombstoneItem tombstone = new TombstoneItem(userId, ViewKeys.viewSk(createdAt, transactionId), sourceSeq, true,
                deletedAt, Math.floorDiv(deletedAt, 1000L) + TIME_TO_LIVE.toSeconds());
        Map<String, AttributeValue> written = ItemSchemas.TOMBSTONE.itemToMap(tombstone, true);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        ItemSchemas.TOMBSTONE.attributeNames().forEach(name -> item.put(name, written.get(name)));
        return item;
    }

    /** True for a tombstone: an item that carries the {@code deleted} attribute (whatever its value). */
    public static boolean isTombstone(Map<String, AttributeValue> item) {
        return item != null && item.containsKey(Attr.DELETED);
    }

    /** deleted_at of a tombstone (epoch milliseconds), or null when absent or not an integer. */
    public static Long deletedAt(Map<String, AttributeValue> item) {
        try {
            return item == null ? null : NotificationMapper.longValue(item, Attr.DELETED_AT);
        } catch (MappingException e) {
            return null;
        }
    }

    /**
     * True when the tombstone's delete is older than the stream's retention at {@code nowMillis}, so that no stream
     * record can still overwrite or contradict it. A tombstone without a readable deleted_at is never settled.
     */
    public static boolean settled(Map<String, AttributeValue> tombstone, long nowMillis) {
        Long deletedAt = deletedAt(tombstone);
        return deletedAt != null && nowMillis - deletedAt > STREAM_RETENTION.toMillis();
    }
}
