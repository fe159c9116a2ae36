package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a query reads in notification-records: the table itself or one of its GSIs, with the key
 * attributes DynamoDB puts into a LastEvaluatedKey there (the index keys plus the table keys).
 */
public enum ViewIndex {
    /** The table: PK user_id, SK view_sk. */
    TABLE(Attr.USER_ID, Attr.VIEW_SK, ScalarAttributeType.S),
    /** marketing-index (write-sharded): PK marketing_shard = marketing_id#k, SK view_sk. */
    MARKETING(Attr.MARKETING_SHARD, Attr.VIEW_SK, ScalarAttributeType.S),
    /** transaction-index: PK transaction_id, SK created_at (N). */
    TRANSACTION(Attr.TRANSACTION_ID, Attr.CREATED_AT, ScalarAttributeType.N),
    /** sns-index (sparse): PK sns_id, SK created_at (N). */
    SNS(Attr.SNS_ID, Attr.CREATED_AT, ScalarAttributeType.N),
    /** failures-index (sparse, FAILED views only; write-sharded): PK failure_status = FAILED#k, SK failure_sk. */
    FAILURES(Attr.FAILURE_STATUS, Attr.FAILURE_SK, ScalarAttributeType.S);

    private final String partitionKey;
    private final String sortKey;
    private final ScalarAttributeType sortKeyType;
    private final Map<String, ScalarAttributeType> keyAttributes;
    private final List<String> positionAttributes;

    ViewIndex(String partitionKey, String sortKey, ScalarAttributeType sortKeyType) {
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
        this.sortKeyType = sortKeyType;
        Map<String, ScalarAttributeType> keys = new LinkedHashMap<>();
        keys.put(partitionKey, ScalarAttributeType.S);
        keys.put(sortKey, sortKeyType);
        keys.putIfAbsent(Attr.USER_ID, ScalarAttributeType.S);
        keys.putIfAbsent(Attr.VIEW_SK, ScalarAttributeType.S);
        this.keyAttributes = Collections.unmodifiableMap(keys);
        List<String> position = new ArrayList<>(keys.keySet());
        position.remove(partitionKey);
        this.positionAttributes = List.copyOf(position);
    }

    public String partitionKey() {
        return partitionKey;
    }

    public String sortKey() {
        return sortKey;
    }

    public ScalarAttributeType sortKeyType() {
        return sortKeyType;
    }

    /**
     * True for the table itself: it holds the tombstones of deleted views (see
     * {@link io.pushcqrs.model.mapping.Tombstones}), which carry no GSI key, so no GSI holds any.
     */
    public boolean holdsTombstones() {
        return this == TABLE;
    }

    /** The attributes (and their types) of a key on this index: index keys first, then the table keys. */
    public Map<String, ScalarAttributeType> keyAttributes() {
        return keyAttributes;
    }

    /**
     * The key attributes that place an item within one partition of this index: the sort key, then the table keys
     * that are not already among them. A sharded query's cursor holds these per shard (the partition key is the
     * shard's).
     */
    public List<String> positionAttributes() {
        return positionAttributes;
    }

    /**
     * Index order of two items of this index (whatever their partition): by the sort key, then the table keys; the
     * order DynamoDB returns a partition in, newest last. A sharded query merges its shards by it, newest first.
     */
    public int compare(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        for (String name : positionAttributes) {
            ScalarAttributeType type = keyAttributes.get(name);
            int c = type == ScalarAttributeType.N
                    ? new BigDecimal(a.get(name).n()).compareTo(new BigDecimal(b.get(name).n()))
                    : compareUtf8(a.get(name).s(), b.get(name).s());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** DynamoDB orders string keys by their UTF-8 bytes (which is code point order, not UTF-16 order). */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The key of an item on this index, usable as ExclusiveStartKey to continue right after the item. */
    public Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        keyAttributes.forEach((name, type) -> {
            AttributeValue value = item.get(name);
            String raw = value == null ? null : type == ScalarAttributeType.N ? value.n() : value.s();
            if (raw == null) {
                throw new IllegalStateException("item on " + this + " lacks its key attribute " + name);
            }
            key.put(name, type == ScalarAttributeType.N ? AttributeValue.fromN(raw) : AttributeValue.fromS(raw));
        });
        return key;
    }
}
