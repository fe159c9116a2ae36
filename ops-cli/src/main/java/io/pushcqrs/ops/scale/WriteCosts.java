package io.pushcqrs.ops.scale;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Write request units of one write to notification-records (a PutItem that replaces the item at a key) and of what it
 * makes DynamoDB write to each GSI, by the rules of "Global secondary indexes: provisioned throughput considerations"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html), on-demand alike:
 * <ul>
 *   <li>the table: the larger of the old and the new item, in 1 KB units;</li>
 *   <li>a GSI whose keys the item carries neither before nor after: nothing (a sparse index);</li>
 *   <li>only after: one write of the new index entry; only before: one write that deletes the old entry;</li>
 *   <li>before and after with another value of the index's partition or sort key: a delete plus a write;</li>
 *   <li>the same keys: one write when a projected attribute changed (with projection ALL, any attribute), else none.</li>
 * </ul>
 * An index entry's size is the size of its projected attributes: the whole item for ALL, the index and table keys for
 * KEYS_ONLY (the alternative the model weighs for transaction-index).
 */
public final class WriteCosts {
    /** How a GSI projects. */
    public enum Projection { ALL, KEYS_ONLY }

    private WriteCosts() {
    }

    /** Units per store of replacing {@code before} (null: no item) by {@code after} (null: deleted). */
    public static Map<Store, Long> of(Layout layout, Map<String, AttributeValue> before, Map<String, AttributeValue> after,
                                      Map<Store, Projection> projections) {
        Map<Store, Long> units = new EnumMap<>(Store.class);
        long table = Math.max(before == null ? 0 : ItemSize.bytes(before), after == null ? 0 : ItemSize.bytes(after));
        units.put(Store.VIEWS, table == 0 ? 0 : ItemSize.writeUnits(table));
        for (Store index : Store.INDEXES) {
            units.put(index, gsi(layout, index, projections.getOrDefault(index, Projection.ALL), before, after));
        }
        return units;
    }

    /** Units of one GSI for the change. */
    static long gsi(Layout layout, Store index, Projection projection, Map<String, AttributeValue> before,
                    Map<String, AttributeValue> after) {
        String pk = layout.partitionKey(index);
        String sk = index.sortKey();
        boolean was = holds(before, pk, sk);
        boolean is = holds(after, pk, sk);
        if (!was && !is) {
            return 0;
        }
        if (!is) {
            return ItemSize.writeUnits(entry(before, pk, sk, projection));
        }
        if (!was) {
            return ItemSize.writeUnits(entry(after, pk, sk, projection));
        }
        if (!before.get(pk).equals(after.get(pk)) || !before.get(sk).equals(after.get(sk))) {
            return ItemSize.writeUnits(entry(before, pk, sk, projection)) + ItemSize.writeUnits(entry(after, pk, sk, projection));
        }
        boolean changed = projection == Projection.ALL ? !before.equals(after)
                : !Objects.equals(before.get(Attr.USER_ID), after.get(Attr.USER_ID))
                || !Objects.equals(before.get(Attr.VIEW_SK), after.get(Attr.VIEW_SK));
        return changed ? ItemSize.writeUnits(entry(after, pk, sk, projection)) : 0;
    }

    private static boolean holds(Map<String, AttributeValue> item, String pk, String sk) {
        return item != null && item.containsKey(pk) && item.containsKey(sk);
    }

    /** Bytes of the index entry of an item. */
    static long entry(Map<String, AttributeValue> item, String pk, String sk, Projection projection) {
        if (projection == Projection.ALL) {
            return ItemSize.bytes(item);
        }
        Set<String> keys = new HashSet<>(Set.of(pk, sk, Attr.USER_ID, Attr.VIEW_SK));
        Map<String, AttributeValue> projected = new java.util.HashMap<>();
        keys.forEach(k -> {
            if (item.containsKey(k)) {
                projected.put(k, item.get(k));
            }
        });
        return ItemSize.bytes(projected);
    }
}
