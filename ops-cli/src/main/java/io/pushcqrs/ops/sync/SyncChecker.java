package io.pushcqrs.ops.sync;

import io.pushcqrs.model.sync.SyncReport;
import io.pushcqrs.model.sync.SyncComparison;
import io.pushcqrs.ops.aws.TableScanner;
import io.pushcqrs.ops.ui.Progress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.function.Function;

/** Scans command-records, then notification-records, and compares them ({@link SyncComparison}). */
public final class SyncChecker {
    private final DynamoDbClient dynamoDb;
    private final String commandTable;
    private final String notificationTable;
    private final int examples;
    private final int pageSize;

    public SyncChecker(DynamoDbClient dynamoDb, String commandTable, String notificationTable, int examples, int pageSize) {
        this.dynamoDb = dynamoDb;
        this.commandTable = commandTable;
        this.notificationTable = notificationTable;
        this.examples = examples;
        this.pageSize = pageSize;
    }

    /**
     * One full comparison.
     *
     * @param progress makes the progress of a scan, given the table's role ("command-records")
     */
    public SyncReport check(Function<String, Progress> progress) {
        long start = System.nanoTime();
        SyncComparison comparison = new SyncComparison(commandTable, notificationTable, examples,
                SyncComparison.CommandLookup.consistentRead(dynamoDb, commandTable));
        TableScanner scanner = new TableScanner(dynamoDb, pageSize);
        scanner.scan(commandTable, null, progress.apply("command-records"),
                (items, last) -> items.forEach(comparison::addCommand));
        scanner.scan(notificationTable, null, progress.apply("notification-records"),
                (items, last) -> items.forEach(comparison::addView));
        return comparison.finish(Duration.ofNanos(System.nanoTime() - start));
    }
}
