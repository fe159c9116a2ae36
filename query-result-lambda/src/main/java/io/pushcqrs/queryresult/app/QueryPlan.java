package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.query.QueryRequest;

import java.util.List;
import java.util.Objects;

/**
 * What a query reads: one table or GSI, one key condition per partition, newest first. Most query types read one
 * partition; the two write-sharded ones read every shard of theirs and merge them ({@link ViewShards}): a campaign's
 * 16 marketing_shard values, the 8 failure_status values.
 *
 * @param index      the table or GSI
 * @param partitions the partition values to read (one, or the shards in shard order)
 * @param sortFrom   inclusive lower bound on the (string) sort key, or null
 * @param sortTo     inclusive upper bound on the (string) sort key, or null
 * @param failedOnly keep only status FAILED (a filter, applied after Limit)
 */
public record QueryPlan(ViewIndex index, List<String> partitions, String sortFrom, String sortTo, boolean failedOnly) {
    public QueryPlan {
        Objects.requireNonNull(index, "index");
        partitions = List.copyOf(partitions);
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("a plan reads at least one partition");
        }
    }

    /** The plan of a (validated) request. */
    public static QueryPlan of(QueryRequest q) {
        return switch (q.type()) {
            case USER -> new QueryPlan(ViewIndex.TABLE, List.of(q.userId()),
                    q.from() == null ? null : ViewKeys.viewSkLowerBound(q.from()),
                    q.to() == null ? null : ViewKeys.viewSkUpperBound(q.to()), false);
            case MARKETING -> new QueryPlan(ViewIndex.MARKETING, ViewShards.marketingPartitions(q.marketingId()), null,
                    null, false);
            case TRANSACTION -> single(ViewIndex.TRANSACTION, q.transactionId(), false);
            case SNS -> single(ViewIndex.SNS, q.snsId(), false);
            case FAILURES -> q.transactionId() == null
                    ? new QueryPlan(ViewIndex.FAILURES, ViewShards.failurePartitions(), null, null, false)
                    : single(ViewIndex.TRANSACTION, q.transactionId(), true);
        };
    }

    private static QueryPlan single(ViewIndex index, String partition, boolean failedOnly) {
        return new QueryPlan(index, List.of(partition), null, null, failedOnly);
    }

    /** True when the plan reads several shards and merges them. */
    public boolean sharded() {
        return partitions.size() > 1;
    }

    public int shards() {
        return partitions.size();
    }

    /** The first Query on one partition (Limit 1 until the service sets it). */
    public ViewQuery query(int shard) {
        return new ViewQuery(index, partitions.get(shard), sortFrom, sortTo, failedOnly, 1, null);
    }
}
