package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a query reads in notification-records: the table itself or one of its GSIs, with the key
 * attributes DynamoDB puts into a LastEvaluatedKey there (the index keys plus the table keys).
 */
public enum ViewIndex {
    /** The table: PK user_id, SK view_sk. */
    TABLE(Attr.USER_ID, Attr.VIEW_SK, ScalarAttributeType.S),
    /** marketing-index: PK marketing_id, SK view_sk. */
    MARKETING(Attr.MARKETING_ID, Attr.VIEW_SK, ScalarAttributeType.S),
    /** transaction-index: PK transaction_id, SK created_at (N). */
    TRANSACTION(Attr.TRANSACTION_ID, Attr.CREATED_AT, ScalarAttributeType.N),
    /** sns-index (sparse): PK sns_id, SK created_at (N). */
    SNS(Attr.SNS_ID, Attr.CREATED_AT, ScalarAttributeType.N),
    /** failures-index (sparse, FAILED views only): PK failure_status, SK failure_sk. */
    FAILURES(Attr.FAILURE_STATUS, Attr.FAILURE_SK, ScalarAttributeType.S);

    private final String partitionKey;
    private final String sortKey;
    private final ScalarAttributeType sortKeyType;
    private final Map<String, ScalarAttributeType> keyAttributes;

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
