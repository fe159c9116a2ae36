package io.pushcqrs.queryresult.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;

/**
 * Where one shard of a write-sharded query goes on: from its newest item ({@link #TOP}), right after an item's key
 * ({@link #after}), or nowhere ({@link #DONE}: the shard has nothing left). A sharded cursor holds one per shard.
 *
 * @param after the ExclusiveStartKey (the index key of the last item the pages took from the shard), or null
 * @param done  true when the shard is exhausted
 */
public record ShardPosition(Map<String, AttributeValue> after, boolean done) {
    /** Nothing taken from the shard yet. */
    public static final ShardPosition TOP = new ShardPosition(null, false);
    /** Everything taken from the shard. */
    public static final ShardPosition DONE = new ShardPosition(null, true);

    public ShardPosition {
        if (done && after != null) {
            throw new IllegalArgumentException("a done shard has no position");
        }
        after = after == null ? null : Map.copyOf(after);
    }

    /** Right after the item with this index key. */
    public static ShardPosition after(Map<String, AttributeValue> key) {
        return new ShardPosition(Objects.requireNonNull(key, "key"), false);
    }
}
