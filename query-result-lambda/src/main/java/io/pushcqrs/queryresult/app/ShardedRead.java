package io.pushcqrs.queryresult.app;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of a write-sharded query: a k-way merge of the shards' Queries, newest first (docs/architecture.md,
 * "Write sharding of the hot index keys").
 * <ul>
 *   <li>Every shard that is not done is read first, together ({@link ViewQueries#queryAll}), each for
 *       ceil((limit + 1) / shards) + 1 items: about the page, plus a look-ahead per shard.</li>
 *   <li>The next item of the page is the newest head of all shards (ties: the lower shard). It can only be chosen
 *       when every shard that may hold more has an item buffered: a shard that runs dry is read again, then for
 *       everything the page still needs plus one, so that one more read per shard completes any page.</li>
 *   <li>When the page is full, a shard that ran dry exactly is asked for one item, so that the last page carries no
 *       cursor.</li>
 *   <li>At most {@link #maxQueries} Queries per page: 2 per shard plus {@link QueryService#MAX_ROUNDS} for DynamoDB's
 *       1 MB stops. Past that the page ends early (it may be short or even empty) and still carries a cursor.</li>
 *   <li>The cursor holds every shard's position ({@link ShardPosition}): after the last item the pages took from it,
 *       from its top when none yet, or done. Items read but not taken are read again by the next page; each item is
 *       returned exactly once.</li>
 * </ul>
 */
final class ShardedRead {
    private final ViewQueries views;
    private final QueryPlan plan;
    private final PageBuilder page;
    private final int limit;
    private final List<Shard> shards = new ArrayList<>();
    private int queries;

    /** The bound on the Queries of one page of a plan with this many shards. */
    static int maxQueries(int shards) {
        return 2 * shards + QueryService.MAX_ROUNDS;
    }

    ShardedRead(ViewQueries views, QueryPlan plan, List<ShardPosition> positions, int limit, long budget) {
        this.views = views;
        this.plan = plan;
        this.limit = limit;
        this.page = new PageBuilder(limit, budget);
        for (int i = 0; i < plan.shards(); i++) {
            shards.add(new Shard(i, plan.query(i), positions.get(i)));
        }
    }

    /** Reads the page; the cursor (positions) is encoded by the caller. */
    Result read() {
        List<Shard> first = shards.stream().filter(s -> s.more).toList();
        int firstLimit = (limit + 1 + plan.shards() - 1) / plan.shards() + 1;
        List<RawPage> pages = views.queryAll(first.stream().map(s -> s.nextQuery(firstLimit)).toList());
        queries += first.size();
        for (int i = 0; i < first.size(); i++) {
            first.get(i).received(pages.get(i));
        }
        boolean stopped = false;
        while (true) {
            if (!refill()) {
                stopped = true;
                break;
            }
            Shard newest = newest();
            if (newest == null || page.full()) {
                break;
            }
            Map<String, AttributeValue> head = newest.buffer.peekFirst();
            if (page.offer(head) == PageBuilder.Offer.NO_ROOM) {
                break;
            }
            newest.buffer.pollFirst();
            newest.position = ShardPosition.after(plan.index().keyOf(head));
        }
        boolean hasNext = stopped || shards.stream().anyMatch(s -> !s.buffer.isEmpty() || s.more);
        List<ShardPosition> positions = shards.stream().map(Shard::cursorPosition).toList();
        return new Result(page, hasNext ? positions : null, queries);
    }

    /** Reads every shard that may hold more but has nothing buffered; false when the bound stops it first. */
    private boolean refill() {
        while (true) {
            Shard dry = shards.stream().filter(s -> s.buffer.isEmpty() && s.more).findFirst().orElse(null);
            if (dry == null) {
                return true;
            }
            if (queries >= maxQueries(plan.shards())) {
                return false;
            }
            int need = page.full() ? 1 : limit - page.taken() + 1;
            dry.received(views.query(dry.nextQuery(need)));
            queries++;
        }
    }

    /** The shard whose buffered head comes first, newest first (ties: the lower shard), or null when all are empty. */
    private Shard newest() {
        Shard best = null;
        for (Shard s : shards) {
            if (!s.buffer.isEmpty()
                    && (best == null || plan.index().compare(s.buffer.peekFirst(), best.buffer.peekFirst()) > 0)) {
                best = s;
            }
        }
        return best;
    }

    /** The page, the positions for the next cursor (null on the last page) and the Queries it took. */
    record Result(PageBuilder page, List<ShardPosition> nextPositions, int queries) {
    }

    private static final class Shard {
        final int index;
        final ViewQuery base;
        final ArrayDeque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        /** Where the cursor resumes the shard: after the last item taken from it. */
        ShardPosition position;
        /** The ExclusiveStartKey of the next read: the LastEvaluatedKey of the last one (or the position). */
        Map<String, AttributeValue> readFrom;
        /** False once a read came back without LastEvaluatedKey: the shard holds nothing past its buffer. */
        boolean more;

        Shard(int index, ViewQuery base, ShardPosition position) {
            this.index = index;
            this.base = base;
            this.position = position;
            this.readFrom = position.after();
            this.more = !position.done();
        }

        ViewQuery nextQuery(int limit) {
            return base.withLimit(limit).startingAfter(readFrom);
        }

        void received(RawPage raw) {
            buffer.addAll(raw.items());
            more = raw.lastEvaluatedKey() != null;
            if (more) {
                readFrom = raw.lastEvaluatedKey();
            }
        }

        ShardPosition cursorPosition() {
            return buffer.isEmpty() && !more ? ShardPosition.DONE : position;
        }

        @Override
        public String toString() {
            return "shard " + index;
        }
    }
}
