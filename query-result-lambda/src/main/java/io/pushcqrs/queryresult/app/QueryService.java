package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Answers a typed query with one page of views, newest first.
 * <ul>
 *   <li>The request is validated with {@link QueryValidator} (limit 1..100, default 30).</li>
 *   <li>Each query type reads one table or GSI with one key condition (never a Scan); FAILURES with a
 *       transaction_id reads transaction-index with a status = FAILED filter.</li>
 *   <li>Pages are full: when DynamoDB returns fewer items than asked (a filter, the 1 MB cap) the service
 *       reads on, up to {@link #MAX_ROUNDS} Queries; past that the page may be short but still has a cursor.</li>
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
    /** The most DynamoDB Queries one page may take. */
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
        ViewQuery query = plan(request);
        String fingerprint = fingerprint(request);
        if (request.cursor() != null && !request.cursor().isBlank()) {
            Map<String, AttributeValue> start = cursors.decode(request.cursor(), fingerprint, query.index().keyAttributes());
            AttributeValue partition = start.get(query.index().partitionKey());
            if (!query.partitionValue().equals(partition.s())) {
                throw CursorCodec.invalid();
            }
            query = query.startingAfter(start);
        }

        List<Map<String, AttributeValue>> taken = new ArrayList<>();
        List<NotificationView> items = new ArrayList<>();
        List<QueryPage.SkippedItem> skipped = new ArrayList<>();
        long bytes = 0;
        boolean cut = false;
        String next = null;
        int rounds = 0;
        reading:
        while (true) {
            int needed = limit - taken.size();
            // One item more than needed: when it comes back, there is a next page. The failures of a transaction
            // are a sparse filter: such rounds evaluate more. (The table's tombstone filter removes few items: a
            // short round is read on like one cut at 1 MB.)
            int roundLimit = query.failedOnly() ? Math.max(needed + 1, FILTERED_ROUND_LIMIT) : needed + 1;
            RawPage page = views.query(query.withLimit(roundLimit));
            rounds++;
            for (Map<String, AttributeValue> item : page.items()) {
                if (taken.size() == limit) {
                    next = cursors.encode(fingerprint, query.index().keyOf(taken.get(taken.size() - 1)));
                    break reading;
                }
                if (Tombstones.isTombstone(item)) {
                    continue; // the table's query filters them out; never in a GSI
                }
                NotificationView view;
                try {
                    view = NotificationMapper.fromViewItem(item);
                } catch (MappingException e) {
                    skipped.add(new QueryPage.SkippedItem(raw(item.get(Attr.USER_ID)), raw(item.get(Attr.VIEW_SK)),
                            e.getMessage()));
                    taken.add(item);
                    continue;
                }
                long cost = PageBudget.cost(view);
                if (!items.isEmpty() && bytes + cost > budget) {
                    // the answer would not fit Lambda's response limit: end the page at the last item included
                    cut = true;
                    next = cursors.encode(fingerprint, query.index().keyOf(taken.get(taken.size() - 1)));
                    break reading;
                }
                bytes += cost;
                taken.add(item);
                items.add(view);
            }
            if (page.lastEvaluatedKey() == null) {
                break;
            }
            query = query.startingAfter(page.lastEvaluatedKey());
            if (rounds >= MAX_ROUNDS) {
                next = cursors.encode(fingerprint, page.lastEvaluatedKey());
                break;
            }
        }
        return new QueryPage(items, next, rounds, skipped, bytes, cut);
    }

    /** The first Query of a request: which index, which partition, which range, which filter. */
    static ViewQuery plan(QueryRequest q) {
        return switch (q.type()) {
            case USER -> new ViewQuery(ViewIndex.TABLE, q.userId(),
                    q.from() == null ? null : ViewKeys.viewSkLowerBound(q.from()),
                    q.to() == null ? null : ViewKeys.viewSkUpperBound(q.to()), false, 1, null);
            case MARKETING -> new ViewQuery(ViewIndex.MARKETING, q.marketingId(), null, null, false, 1, null);
            case TRANSACTION -> new ViewQuery(ViewIndex.TRANSACTION, q.transactionId(), null, null, false, 1, null);
            case SNS -> new ViewQuery(ViewIndex.SNS, q.snsId(), null, null, false, 1, null);
            case FAILURES -> q.transactionId() == null
                    ? new ViewQuery(ViewIndex.FAILURES, Schema.FAILURE_PARTITION, null, null, false, 1, null)
                    : new ViewQuery(ViewIndex.TRANSACTION, q.transactionId(), null, null, true, 1, null);
        };
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

    private static String raw(AttributeValue value) {
        if (value == null) {
            return null;
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : String.valueOf(value);
    }
}
