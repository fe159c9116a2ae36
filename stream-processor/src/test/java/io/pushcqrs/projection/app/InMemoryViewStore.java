package io.pushcqrs.projection.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * notification-records in memory, with the guard semantics of {@link WriteGuard#admits}; can be told to fail. Safe for
 * the projection's concurrent groups (each call is atomic, as a conditional PutItem is).
 */
public final class InMemoryViewStore implements ViewStore {
    private final Map<String, Map<String, AttributeValue>> items = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    /** Every call in order: "upsert user/sk" or "tombstone user/sk". */
    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Predicate<Map<String, AttributeValue>> failWhen = key -> false;

    /** Makes every call whose key matches throw (a DynamoDB error other than a failed condition). */
    public void failWhen(Predicate<Map<String, AttributeValue>> keyMatches) {
        this.failWhen = keyMatches;
    }

    @Override
    public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
        return guarded("upsert", viewItem, guard, before -> WriteOutcome.APPLIED);
    }

    @Override
    public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
        return guarded("tombstone", tombstone, guard, before -> before != null && !Tombstones.isTombstone(before)
                ? WriteOutcome.APPLIED : WriteOutcome.ABSENT);
    }

    /** A put at the item's key when the guard admits it, as the DynamoDB adapter's conditional PutItem does. */
    private synchronized WriteOutcome guarded(String operation, Map<String, AttributeValue> item, WriteGuard guard,
                                 java.util.function.Function<Map<String, AttributeValue>, WriteOutcome> outcome) {
        String id = id(item);
        calls.add(operation + " " + id);
        check(item);
        if (!guard.admits(items.get(id))) {
            return WriteOutcome.STALE;
        }
        return outcome.apply(items.put(id, Map.copyOf(item)));
    }

    /** Puts an item without any guard (a rebuild tool or an operator writing the view). */
    public synchronized void putRaw(Map<String, AttributeValue> item) {
        items.put(id(item), Map.copyOf(item));
    }

    public Map<String, AttributeValue> get(String userId, String viewSk) {
        return items.get(userId + "/" + viewSk);
    }

    public int size() {
        return items.size();
    }

    /** The live views (every item but the tombstones), by "user/sk". */
    public synchronized Map<String, Map<String, AttributeValue>> live() {
        Map<String, Map<String, AttributeValue>> out = new LinkedHashMap<>();
        items.forEach((id, item) -> {
            if (!Tombstones.isTombstone(item)) {
                out.put(id, item);
            }
        });
        return out;
    }

    public synchronized Map<String, Map<String, AttributeValue>> all() {
        return Map.copyOf(items);
    }

    private void check(Map<String, AttributeValue> key) {
        if (failWhen.test(key)) {
            throw new IllegalStateException("injected store failure (ProvisionedThroughputExceeded)");
        }
    }

    private static String id(Map<String, AttributeValue> item) {
        return item.get(Attr.USER_ID).s() + "/" + item.get(Attr.VIEW_SK).s();
    }
}
