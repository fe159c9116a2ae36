package io.pushcqrs.queryresult.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;

/**
 * One DynamoDB Query on notification-records, newest first.
 *
 * @param index          the table or GSI to read
 * @param partitionValue the value of the index's partition key
 * @param sortFrom       inclusive lower bound on the (string) sort key, or null
 * @param sortTo         inclusive upper bound on the (string) sort key, or null
 * @param failedOnly     keep only items with status FAILED (a FilterExpression: applied after Limit)
 * @param limit          the most items DynamoDB evaluates (DynamoDB's Limit)
 * @param startKey       ExclusiveStartKey (a previous LastEvaluatedKey or an item's key), or null
 */
public record ViewQuery(ViewIndex index, String partitionValue, String sortFrom, String sortTo,
                        boolean failedOnly, int limit, Map<String, AttributeValue> startKey) {
    public ViewQuery {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(partitionValue, "partitionValue");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        startKey = startKey == null ? null : Map.copyOf(startKey);
    }

    public ViewQuery withLimit(int newLimit) {
        return new ViewQuery(index, partitionValue, sortFrom, sortTo, failedOnly, newLimit, startKey);
    }

    public ViewQuery startingAfter(Map<String, AttributeValue> key) {
        return new ViewQuery(index, partitionValue, sortFrom, sortTo, failedOnly, limit, key);
    }
}
