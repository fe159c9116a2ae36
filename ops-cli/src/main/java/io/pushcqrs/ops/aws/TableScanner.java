package io.pushcqrs.ops.aws;

import io.pushcqrs.ops.ui.Progress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.List;
import java.util.Map;

/**
 * A full, paged, strongly consistent Scan of one table (operators' tools only: the request path never scans).
 * Each page is handed over with the key to resume after it.
 */
public final class TableScanner {

    /** Receives one page: its items and the key to continue after it (null on the last page). */
    @FunctionalInterface
    public interface PageHandler {
        void page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey);
    }

    private final DynamoDbClient dynamoDb;
    private final int pageSize;

    public TableScanner(DynamoDbClient dynamoDb, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        this.dynamoDb = dynamoDb;
        this.pageSize = pageSize;
    }

    /**
     * Scans {@code table} from {@code startKey} (null: from the beginning) to the end.
     *
     * @return the number of items scanned
     */
    public long scan(String table, Map<String, AttributeValue> startKey, Progress progress, PageHandler handler) {
        Map<String, AttributeValue> start = startKey == null || startKey.isEmpty() ? null : startKey;
        long count = 0;
        do {
            ScanRequest.Builder req = ScanRequest.builder().tableName(table).consistentRead(true).limit(pageSize);
            if (start != null) {
                req.exclusiveStartKey(start);
            }
            ScanResponse r = dynamoDb.scan(req.build());
            Map<String, AttributeValue> last = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                    ? r.lastEvaluatedKey() : null;
            handler.page(r.items(), last);
            count += r.items().size();
            progress.update(count);
            start = last;
        } while (start != null);
        progress.finish(count);
        return count;
    }
}
