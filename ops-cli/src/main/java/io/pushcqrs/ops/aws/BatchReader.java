package io.pushcqrs.ops.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Strongly consistent BatchGetItem of many keys of one table: 100 keys a request, duplicates sent once,
 * unprocessed keys retried with backoff.
 */
public final class BatchReader {
    static final int MAX_KEYS = 100;
    private static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;

    public BatchReader(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Reads the items at {@code keys}.
     *
     * @param keyText the text identity of a key or item (both must give the same text for the same key)
     * @return the items found, by key text
     */
    public Map<String, Map<String, AttributeValue>> get(String table, List<Map<String, AttributeValue>> keys,
                                                        Function<Map<String, AttributeValue>, String> keyText) {
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>();
        keys.forEach(k -> unique.putIfAbsent(keyText.apply(k), k));
        List<Map<String, AttributeValue>> all = new ArrayList<>(unique.values());
        Map<String, Map<String, AttributeValue>> found = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i += MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = all.subList(i, Math.min(all.size(), i + MAX_KEYS));
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            for (int attempt = 1; request != null && !request.isEmpty(); attempt++) {
                BatchGetItemResponse r = dynamoDb.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                r.responses().getOrDefault(table, List.of()).forEach(item -> found.put(keyText.apply(item), item));
                request = r.hasUnprocessedKeys() && !r.unprocessedKeys().isEmpty() ? r.unprocessedKeys() : null;
                if (request != null) {
                    if (attempt >= MAX_ATTEMPTS) {
                        throw new IllegalStateException("BatchGetItem on " + table + " left keys unprocessed after "
                                + MAX_ATTEMPTS + " attempts (throttled?)");
                    }
                    backoff(attempt);
                }
            }
        }
        return found;
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000L, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
