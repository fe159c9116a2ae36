package io.pushcqrs.queryresult.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * What one DynamoDB Query returned: the items in index order and the LastEvaluatedKey
 * (null when DynamoDB reached the end of the partition or range).
 */
public record RawPage(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) {
    public RawPage {
        items = List.copyOf(items);
        lastEvaluatedKey = lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : Map.copyOf(lastEvaluatedKey);
    }
}
