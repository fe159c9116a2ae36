package io.pushcqrs.ops.scale;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.mapping.NotificationMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two key layouts of notification-records the model compares: before write sharding (failure_status = FAILED,
 * marketing-index on marketing_id) and now ({@link ViewShards}). The items are the real ones: the view the stream
 * processor writes ({@link NotificationMapper#toViewItem}), changed back to the old keys for {@link #UNSHARDED}.
 */
public enum Layout {
    /** Before: every failure under FAILED, every view of a campaign under its marketing_id. */
    UNSHARDED("failures-index on the constant FAILED, marketing-index on marketing_id"),
    /** Now: FAILED#0..7 and marketing_id#0..15, the shard a hash of view_sk. */
    SHARDED("failures-index on FAILED#0.." + (ViewShards.FAILURE_SHARDS - 1) + ", marketing-index on marketing_id#0.."
            + (ViewShards.MARKETING_SHARDS - 1));

    private final String description;

    Layout(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The view item of a notification at a version, as a stream record with this sequence number writes it. */
    public Map<String, AttributeValue> view(Notification n, long sourceVersion, String sourceSeq) {
        Map<String, AttributeValue> item = NotificationMapper.toViewItem(new NotificationView(n, sourceVersion), sourceSeq);
        if (this == SHARDED) {
            return item;
        }
        Map<String, AttributeValue> old = new LinkedHashMap<>(item);
        old.remove(Attr.MARKETING_SHARD);
        old.computeIfPresent(Attr.FAILURE_STATUS, (k, v) -> AttributeValue.fromS(Schema.FAILURE_PARTITION));
        return old;
    }

    /** The partition key attribute of a GSI in this layout. */
    public String partitionKey(Store index) {
        return index == Store.MARKETING_INDEX && this == UNSHARDED ? Attr.MARKETING_ID : index.partitionKey();
    }

    /** The marketing-index partition value of a campaign's view. */
    public String marketingKey(String marketingId, String viewSk) {
        return this == SHARDED ? ViewShards.marketingPartition(marketingId, viewSk) : marketingId;
    }

    /** The failures-index partition value of a FAILED view. */
    public String failureKey(String viewSk) {
        return this == SHARDED ? ViewShards.failurePartition(viewSk) : Schema.FAILURE_PARTITION;
    }
}
