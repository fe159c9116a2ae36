package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.ViewShards;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Answers a typed query with one page of views, newest first.
 * <ul>
 *   <li>The request is validated with {@link QueryValidator} (limit 1..100, default 30).</li>
 *   <li>Each query type reads one table or GSI with one key condition per partition (never a Scan)
 *       ({@link QueryPlan}); FAILURES with a transaction_id reads transaction-index with a status = FAILED filter.</li>
 *   <li>The two write-sharded query types (a campaign, the failures) read every shard of their partition key and
 *       merge them newest first ({@link ShardedRead}); their cursor carries one position per shard.</li>
 *   <li>Pages are full: when DynamoDB returns fewer items than asked (a filter, the 1 MB cap) the service
 *       reads on, up to {@link #MAX_ROUNDS} Queries (a sharded page: {@link ShardedRead#maxQueries}); past that the
 *       page may be short but still has a cursor.</li>
 *   <li>It reads one item beyond the page so that the last page carries no cursor.</li>
 *   <li>A page fits Lambda's 6 MB response limit in both answers that carry it: when the next item would take
 *       the items past {@link PageBudget}, the page ends before it, with a cursor at the last item included.</li>
 *   <li>The user query reads the table, which holds tombstones of deleted views: the adapter filters them out
 *       (they are never returned), and the service reads on when that makes a round short.</li>
 *   <li>A stored item that cannot be mapped is left out of the page and reported in
 *       {@link QueryPage#skipped()}, so one bad row does not break a user's page.</li>
 * </ul>
 */
public final class QueryService {
    /** The most DynamoDB Queries one page of a single-partition query may take. */
    public static final int MAX_ROUNDS = 5;
    /** How many items a filtered round evaluates at least (filtered rounds may find few matches). */
    public static final int FILTERED_ROUND_LIMIT = 100;

    private final ViewQueries views;
    private final CursorCodec cursors;
    private final long budget;

    public QueryService(ViewQueries views, CursorCodec cursors) {
        this(views, cursors, PageBudget.DEFAULT_BUDGET);
    }

    /** @param budget the most a page's items may cost ({@link PageBudget#cost}); smaller in tests */
    public QueryService(ViewQueries views, CursorCodec cursors, long budget) {
        this.views = views;
        this.cursors = cursors;
        this.budget = budget;
    }

    /**
     * @throws io.pushcqrs.model.error.ApiException VALIDATION_ERROR for a bad request or cursor,
     *                                              UNAVAILABLE when the store cannot answer now
     */
    public QueryPage query(QueryRequest request) {
        if (request == null) {
            throw new ValidationException("body", "is required (a JSON object)");
        }
        QueryValidator.validate(request);
        int limit = QueryValidator.effectiveLimit(request);
        QueryPlan plan = QueryPlan.of(request);
        String fingerprint = fingerprint(request);
        String cursor = request.cursor() == null || request.cursor().isBlank() ? null : request.cursor();
        return plan.sharded() ? sharded(plan, fingerprint, cursor, limit) : single(plan, fingerprint, cursor, limit);
    }

    /** A page of one partition: Queries in a row, each going on where the last one stopped. */
    private QueryPage single(QueryPlan plan, String fingerprint, String cursor, int limit) {
        ViewIndex index = plan.index();
        ViewQuery query = plan.query(0);
        if (cursor != null) {
            Map<String, AttributeValue> start = cursors.decode(cursor, fingerprint, index.keyAttributes());
            AttributeValue partition = start.get(index.partitionKey());
            if (!query.partitionValue().equals(partition.s())) {
                throw CursorCodec.invalid();
            }
            query = query.startingAfter(start);
        }
        PageBuilder page = new PageBuilder(limit, budget);
        Map<String, AttributeValue> lastTaken = null;
        String next = null;
        int rounds = 0;
        reading:
        while (true) {
            int needed = limit - page.taken();
            // One item more than needed: when it comes back, there is a next page. The failures of a transaction
            // are a sparse filter: such rounds evaluate more. (The table's tombstone filter removes few items: a
            // short round is read on like one cut at 1 MB.)
            int roundLimit = query.failedOnly() ? Math.max(needed + 1, FILTERED_ROUND_LIMIT) : needed + 1;
            RawPage raw = views.query(query.withLimit(roundLimit));
            rounds++;
            for (Map<String, AttributeValue> item : raw.items()) {
                if (page.full()) {
                    next = cursors.encode(fingerprint, index.keyOf(lastTaken));
                    break reading;
                }
                PageBuilder.Offer offer = page.offer(item);
                if (offer == PageBuilder.Offer.NO_ROOM) {
                    next = cursors.encode(fingerprint, index.keyOf(lastTaken));
                    break reading;
                }
                if (offer == PageBuilder.Offer.TAKEN) {
                    lastTaken = item;
                }
            }
            if (raw.lastEvaluatedKey() == null) {
                break;
            }
            query = query.startingAfter(raw.lastEvaluatedKey());
            if (rounds >= MAX_ROUNDS) {
                next = cursors.encode(fingerprint, raw.lastEvaluatedKey());
                break;
            }
        }
        return page.page(next, rounds);
    }

    /** A page of a write-sharded query: every shard read and merged ({@link ShardedRead}). */
    private QueryPage sharded(QueryPlan plan, String fingerprint, String cursor, int limit) {
        List<ShardPosition> positions;
        if (cursor == null) {
            positions = Collections.nCopies(plan.shards(), ShardPosition.TOP);
        } else {
            positions = cursors.decode(cursor, fingerprint, plan.index(), plan.partitions());
            checkShards(plan, positions);
        }
        ShardedRead.Result result = new ShardedRead(views, plan, positions, limit, budget).read();
        String next = result.nextPositions() == null ? null
                : cursors.encode(fingerprint, plan.index(), result.nextPositions());
        return result.page().page(next, result.queries());
    }

    /**
     * A position must be one its shard can hold: the shard of a view is a hash of its view_sk
     * ({@link ViewShards#shardOf}), so a position whose view_sk belongs to another shard is not one we issued.
     */
    private static void checkShards(QueryPlan plan, List<ShardPosition> positions) {
        for (int i = 0; i < positions.size(); i++) {
            Map<String, AttributeValue> after = positions.get(i).after();
            if (after != null && ViewShards.shardOf(after.get(Attr.VIEW_SK).s(), plan.shards()) != i) {
                throw CursorCodec.invalid();
            }
        }
    }

    /** What a cursor is bound to: the query type, its ids and its time range (not the limit). */
    static String fingerprint(QueryRequest q) {
        String canonical = Json.write(Arrays.asList(q.type().name(), q.userId(), q.marketingId(), q.transactionId(),
                q.snsId(), q.from(), q.to()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
