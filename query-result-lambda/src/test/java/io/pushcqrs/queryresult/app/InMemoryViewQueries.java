package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.mapping.Tombstones;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A fake of the port with DynamoDB's Query semantics: key condition, newest first, ExclusiveStartKey,
 * Limit counting evaluated items, the filters (FAILED only; no tombstones on the table) applied after Limit,
 * LastEvaluatedKey only when more remain.
 * Records every query it ran.
 */
public final class InMemoryViewQueries implements ViewQueries {
    public final List<Map<String, AttributeValue>> items = new ArrayList<>();
    public final List<ViewQuery> calls = new ArrayList<>();

    public InMemoryViewQueries add(Map<String, AttributeValue> item) {
        items.add(item);
        return this;
    }

    @Override
    public RawPage query(ViewQuery q) {
        calls.add(q);
        ViewIndex index = q.index();
        Comparator<Map<String, AttributeValue>> order = (a, b) -> compare(index, a, b);
        List<Map<String, AttributeValue>> candidates = items.stream()
                .filter(i -> i.containsKey(index.partitionKey()) && i.containsKey(index.sortKey()))
                .filter(i -> q.partitionValue().equals(i.get(index.partitionKey()).s()))
                .filter(i -> q.sortFrom() == null || i.get(index.sortKey()).s().compareTo(q.sortFrom()) >= 0)
                .filter(i -> q.sortTo() == null || i.get(index.sortKey()).s().compareTo(q.sortTo()) <= 0)
                .sorted(order.reversed())
                .filter(i -> q.startKey() == null || compare(index, i, q.startKey()) < 0)
                .toList();
        List<Map<String, AttributeValue>> evaluated = candidates.subList(0, Math.min(q.limit(), candidates.size()));
        Map<String, AttributeValue> lastKey = candidates.size() > q.limit() ? index.keyOf(evaluated.get(evaluated.size() - 1)) : null;
        List<Map<String, AttributeValue>> matched = evaluated.stream()
                .filter(i -> !q.failedOnly() || Status.FAILED.name().equals(i.get(Attr.STATUS).s()))
                .filter(i -> !index.holdsTombstones() || !Tombstones.isTombstone(i))
                .toList();
        return new RawPage(matched, lastKey);
    }

    private static int compare(ViewIndex index, Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        for (Map.Entry<String, ScalarAttributeType> key : index.keyAttributes().entrySet()) {
            if (key.getKey().equals(index.partitionKey())) {
                continue;
            }
            int c = key.getValue() == ScalarAttributeType.N
                    ? new BigDecimal(a.get(key.getKey()).n()).compareTo(new BigDecimal(b.get(key.getKey()).n()))
                    : a.get(key.getKey()).s().compareTo(b.get(key.getKey()).s());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
