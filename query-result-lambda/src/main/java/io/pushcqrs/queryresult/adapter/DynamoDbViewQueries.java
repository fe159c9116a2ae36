package io.pushcqrs.queryresult.adapter;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.Status;
import io.pushcqrs.queryresult.app.RawPage;
import io.pushcqrs.queryresult.app.ViewIndex;
import io.pushcqrs.queryresult.app.ViewQueries;
import io.pushcqrs.queryresult.app.ViewQuery;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsFailure;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ViewQueries} on DynamoDB: one Query with ScanIndexForward=false on the table or a GSI; the first reads of a
 * sharded page run at the same time, on a small pool of daemon threads (one per shard at most). On the table, a
 * FilterExpression {@code attribute_not_exists(deleted)} leaves the tombstones of deleted views out (a filter is
 * applied after Limit: a round may come back short, and the service reads on).
 * Every SDK failure is classified by {@link AwsFailure} and thrown as its {@link AwsCallException}:
 * throttling, 5xx, timeouts and an unreachable endpoint are UNAVAILABLE (503), a missing table or index and a
 * refused credential INTERNAL_ERROR (500, logged with the action and the table or index), a rejected request
 * VALIDATION_ERROR (400).
 */
public final class DynamoDbViewQueries implements ViewQueries {
    /** The most Queries run at the same time: the largest shard count. */
    static final int PARALLEL = Math.max(ViewShards.MARKETING_SHARDS, ViewShards.FAILURE_SHARDS);

    private final DynamoDbClient dynamoDb;
    private final ViewTable table;
    private final ExecutorService pool;

    public DynamoDbViewQueries(DynamoDbClient dynamoDb, ViewTable table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "view-query-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the queries at the same time; waits for all of them, then answers their pages or the first failure. */
    @Override
    public List<RawPage> queryAll(List<ViewQuery> queries) {
        if (queries.size() < 2) {
            return ViewQueries.super.queryAll(queries);
        }
        List<Future<RawPage>> running = new ArrayList<>();
        for (ViewQuery q : queries) {
            running.add(pool.submit(() -> query(q)));
        }
        List<RawPage> pages = new ArrayList<>();
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<RawPage> f : running) {
            try {
                pages.add(interrupted ? null : f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("a query failed", e.getCause());
                }
            } catch (InterruptedException e) {
                interrupted = true;
                f.cancel(true);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while querying the notification store", null);
        }
        if (failure != null) {
            throw failure;
        }
        return pages;
    }

    @Override
    public RawPage query(ViewQuery q) {
        QueryResponse response;
        QueryRequest request = request(q);
        try {
            response = dynamoDb.query(request);
        } catch (SdkException e) {
            String index = request.indexName();
            throw AwsFailure.classify(e, "dynamodb:Query",
                    "table/" + request.tableName() + (index == null ? "" : "/index/" + index)).exception(e);
        }
        return new RawPage(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
    }

    QueryRequest request(ViewQuery q) {
        ViewIndex index = q.index();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", index.partitionKey());
        values.put(":pk", AttributeValue.fromS(q.partitionValue()));
        StringBuilder condition = new StringBuilder("#pk = :pk");
        if (q.sortFrom() != null || q.sortTo() != null) {
            if (index.sortKeyType() != ScalarAttributeType.S) {
                throw new IllegalArgumentException("string bounds on the numeric sort key of " + index);
            }
            names.put("#sk", index.sortKey());
            if (q.sortFrom() != null) {
                values.put(":lo", AttributeValue.fromS(q.sortFrom()));
            }
            if (q.sortTo() != null) {
                values.put(":hi", AttributeValue.fromS(q.sortTo()));
            }
            condition.append(q.sortFrom() == null ? " AND #sk <= :hi"
                    : q.sortTo() == null ? " AND #sk >= :lo" : " AND #sk BETWEEN :lo AND :hi");
        }
        QueryRequest.Builder b = QueryRequest.builder()
                .tableName(table.tableName())
                .indexName(table.indexName(index))
                .keyConditionExpression(condition.toString())
                .scanIndexForward(false)
                .limit(q.limit());
        List<String> filters = new ArrayList<>();
        if (q.failedOnly()) {
            names.put("#status", Attr.STATUS);
            values.put(":failed", AttributeValue.fromS(Status.FAILED.name()));
            filters.add("#status = :failed");
        }
        if (index.holdsTombstones()) {
            // live views only: tombstones of deleted views stay in the table for the ordering guard
            names.put(Tombstones.DELETED_NAME, Attr.DELETED);
            filters.add(Tombstones.LIVE_ONLY_FILTER);
        }
        if (!filters.isEmpty()) {
            b.filterExpression(String.join(" AND ", filters));
        }
        if (q.startKey() != null) {
            b.exclusiveStartKey(q.startKey());
        }
        return b.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }
}
