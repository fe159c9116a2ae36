package io.pushcqrs.local.console;

import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ApiRequest;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.rules.BatchOutcome;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's memory of what happened, fed by {@link ConsoleEvents} as it happens and read only when a page asks:
 * <ul>
 *   <li>per second, for the last {@value #SECONDS} seconds (a ring): records written to the mapped tables (counted by
 *       their stream record's ApproximateCreationDateTime, when the poller reads them), records projected (when the
 *       function reported them done) and a histogram of their sync latency;</li>
 *   <li>per function: invocations, errors, cold starts, refusals, a duration histogram;</li>
 *   <li>per API route (method and resource path): requests by status class;</li>
 *   <li>per mapping: the last {@value #RECENT_BATCHES} batches with their outcome, and whether a shard's last
 *       invocation failed (its batch is being retried).</li>
 * </ul>
 * No thread, no timer: nothing happens between events. Memory is bounded (rings, fixed histograms, one entry per
 * function, route and mapping). Thread-safe (one lock; each event holds it for a few array writes).
 * <p>
 * <b>Sync latency</b> of a record: from its stream record's ApproximateCreationDateTime (moto stamps it when the
 * command item is written, in microseconds; AWS rounds it down to the second) to the moment the stream processor's
 * invocation that projected it returned, which is after its conditional view writes were acknowledged. It includes
 * the poller's wait for records, the batching window, the invocation (cold start included) and retries.
 */
public final class ConsoleRecorder implements ConsoleEvents {
    /** Seconds of history kept (15 minutes). */
    public static final int SECONDS = 900;
    /** Batches kept per mapping. */
    public static final int RECENT_BATCHES = 25;

    private final Clock clock;
    private final long[] slotSecond = new long[SECONDS];
    private final long[] written = new long[SECONDS];
    private final long[] projected = new long[SECONDS];
    private final LatencyHistogram[] latency = new LatencyHistogram[SECONDS];
    private final Map<String, FunctionStats> functions = new TreeMap<>();
    private final Map<String, long[]> routes = new TreeMap<>();
    private final Map<String, MappingStats> mappings = new LinkedHashMap<>();
    private long writtenTotal;
    private long projectedTotal;
    private Instant lastProjected;
    private Long lastLatencyMs;

    public ConsoleRecorder() {
        this(Clock.systemUTC());
    }

    public ConsoleRecorder(Clock clock) {
        this.clock = clock;
        java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
    }

    // ------------------------------------------------------------------ events

    @Override
    public synchronized void invocation(String function, long durationMs, String outcome, Boolean cold) {
        FunctionStats f = functions.computeIfAbsent(function == null || function.isEmpty() ? "-" : function,
                k -> new FunctionStats());
        f.last = clock.instant();
        if (cold == null) {
            f.refused++;
            f.lastRefusal = outcome;
            return;
        }
        f.invocations++;
        if (!"OK".equals(outcome)) {
            f.errors++;
            f.lastError = outcome;
        }
        if (cold) {
            f.coldStarts++;
        }
        f.durations.add(durationMs);
    }

    @Override
    public synchronized void recordsRead(EsmSpec mapping, List<Record> records) {
        long now = clock.instant().getEpochSecond();
        for (Record r : records) {
            Instant created = created(r);
            long second = created == null ? now : created.getEpochSecond();
            int slot = slot(second, now);
            if (slot >= 0) {
                written[slot]++;
            }
            writtenTotal++;
        }
    }

    @Override
    public synchronized void batch(EsmSpec mapping, String shardId, List<Record> records, int attempt,
                                   BatchOutcome outcome, long ms) {
        if (records.isEmpty()) {
            return;
        }
        MappingStats m = mapping(mapping);
        String label = switch (outcome.kind()) {
            case SUCCESS -> "OK";
            case PARTIAL_FAILURE -> "PARTIAL FAILURE";
            case FUNCTION_ERROR -> mapping.bisectOnError() && records.size() > 1 ? "BISECT" : "FUNCTION ERROR";
            case INVOKE_ERROR -> "NOT DELIVERED";
        };
        m.add(new Batch(clock.instant(), shardId, records.size(), seq(records, 0), seq(records, records.size() - 1),
                attempt, label, outcome.kind() == BatchOutcome.Kind.SUCCESS ? null : outcome.detail(), ms));
        m.failing.put(shardId, outcome.kind() != BatchOutcome.Kind.SUCCESS);
    }

    @Override
    public synchronized void projected(EsmSpec mapping, List<Record> records) {
        Instant at = clock.instant();
        long now = at.getEpochSecond();
        int slot = slot(now, now);
        for (Record r : records) {
            projected[slot]++;
            projectedTotal++;
            Instant created = created(r);
            if (created != null) {
                long ms = Math.max(0, Duration.between(created, at).toMillis());
                latency(slot).add(ms);
                lastLatencyMs = ms;
            }
        }
        lastProjected = at;
    }

    @Override
    public synchronized void discarded(EsmSpec mapping, String shardId, List<Record> records, String condition,
                                       boolean sent) {
        if (records.isEmpty()) {
            return;
        }
        MappingStats m = mapping(mapping);
        m.add(new Batch(clock.instant(), shardId, records.size(), seq(records, 0), seq(records, records.size() - 1),
                0, sent ? "SENT TO QUEUE" : "DISCARDED", condition, 0));
        m.failing.put(shardId, false);
        m.discarded += records.size();
    }

    @Override
    public synchronized void apiRequest(ApiGateway gateway, ApiRequest request, int status) {
        String route = route(gateway, request);
        long[] counts = routes.computeIfAbsent(route, k -> new long[5]);
        int cls = status / 100 - 1;
        if (cls >= 0 && cls < 5) {
            counts[cls]++;
        }
    }

    // ------------------------------------------------------------------ reads

    /** The last {@code seconds} seconds, in buckets of {@code bucketSeconds}, oldest first. */
    public synchronized List<Bucket> series(int seconds, int bucketSeconds) {
        int span = Math.max(1, Math.min(seconds, SECONDS));
        int step = Math.max(1, bucketSeconds);
        long now = clock.instant().getEpochSecond();
        long first = now - span + 1;
        first -= Math.floorMod(first, step); // aligned buckets, so a refresh does not shift them
        List<Bucket> out = new ArrayList<>();
        for (long start = first; start <= now; start += step) {
            long w = 0;
            long p = 0;
            LatencyHistogram h = new LatencyHistogram();
            for (long s = start; s < start + step && s <= now; s++) {
                int slot = existing(s, now);
                if (slot >= 0) {
                    w += written[slot];
                    p += projected[slot];
                    if (latency[slot] != null) {
                        h.addAll(latency[slot]);
                    }
                }
            }
            out.add(new Bucket(start, (int) Math.min(step, now - start + 1), w, p, h.percentile(50), h.percentile(99),
                    h.count() == 0 ? null : h.max()));
        }
        return out;
    }

    /** Records projected and their sync latency over the last {@code seconds} seconds. */
    public synchronized Window window(int seconds) {
        long now = clock.instant().getEpochSecond();
        LatencyHistogram h = new LatencyHistogram();
        long w = 0;
        long p = 0;
        for (long s = now - Math.min(seconds, SECONDS) + 1; s <= now; s++) {
            int slot = existing(s, now);
            if (slot >= 0) {
                w += written[slot];
                p += projected[slot];
                if (latency[slot] != null) {
                    h.addAll(latency[slot]);
                }
            }
        }
        return new Window(seconds, w, p, h.percentile(50), h.percentile(99), h.count() == 0 ? null : h.max(),
                lastLatencyMs, lastProjected, writtenTotal, projectedTotal);
    }

    /** Each function's counters so far, by name. */
    public synchronized Map<String, FunctionSnapshot> functions() {
        Map<String, FunctionSnapshot> out = new TreeMap<>();
        functions.forEach((name, f) -> out.put(name, new FunctionSnapshot(f.invocations, f.errors, f.coldStarts,
                f.refused, f.durations.percentile(50), f.durations.percentile(99), f.last, f.lastError, f.lastRefusal)));
        return out;
    }

    /** Requests per route ("GET /query/user") and status class: [1xx, 2xx, 3xx, 4xx, 5xx]. */
    public synchronized Map<String, long[]> routes() {
        Map<String, long[]> out = new TreeMap<>();
        routes.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    /** A mapping's recent batches (newest first) and whether one of its shards is being retried. */
    public synchronized MappingSnapshot mapping(String uuid) {
        MappingStats m = mappings.get(uuid);
        if (m == null) {
            return new MappingSnapshot(List.of(), false, 0);
        }
        List<Batch> recent = new ArrayList<>(m.recent);
        java.util.Collections.reverse(recent);
        return new MappingSnapshot(recent, m.failing.containsValue(true), m.discarded);
    }

    // ------------------------------------------------------------------ types

    /**
     * One chart bucket.
     *
     * @param start     its first second (epoch seconds)
     * @param seconds   how many seconds it covers (the newest may be partial)
     * @param written   records written (by their creation time)
     * @param projected records projected
     * @param p50Ms     sync latency median, null without records
     * @param p99Ms     sync latency 99th percentile, null without records
     * @param maxMs     the largest sync latency, null without records
     */
    public record Bucket(long start, int seconds, long written, long projected, Long p50Ms, Long p99Ms, Long maxMs) {
    }

    /** The read side over a window, and the totals since the start. */
    public record Window(int seconds, long written, long projected, Long p50Ms, Long p99Ms, Long maxMs, Long lastMs,
                         Instant lastProjected, long writtenTotal, long projectedTotal) {
        /** Records projected per second over the window. */
        public double projectionRate() {
            return seconds == 0 ? 0 : (double) projected / seconds;
        }
    }

    public record FunctionSnapshot(long invocations, long errors, long coldStarts, long refused, Long p50Ms, Long p99Ms,
                                   Instant last, String lastError, String lastRefusal) {
    }

    /**
     * One invocation of a mapping's function, or one give-up.
     *
     * @param outcome OK, PARTIAL FAILURE, BISECT (a function error that split the batch), FUNCTION ERROR (retried as
     *                is), NOT DELIVERED (the invoke failed: throttled...), SENT TO QUEUE, DISCARDED (no destination)
     * @param detail  the failure, or the give-up's condition, else null
     * @param attempt the attempt for the records at its head (0 for a give-up)
     */
    public record Batch(Instant at, String shardId, int records, String firstSeq, String lastSeq, int attempt,
                        String outcome, String detail, long ms) {
    }

    public record MappingSnapshot(List<Batch> recent, boolean retrying, long discarded) {
    }

    private static final class FunctionStats {
        long invocations;
        long errors;
        long coldStarts;
        long refused;
        final LatencyHistogram durations = new LatencyHistogram();
        Instant last;
        String lastError;
        String lastRefusal;
    }

    private static final class MappingStats {
        final Deque<Batch> recent = new ArrayDeque<>();
        final Map<String, Boolean> failing = new LinkedHashMap<>();
        long discarded;

        void add(Batch b) {
            recent.addLast(b);
            while (recent.size() > RECENT_BATCHES) {
                recent.removeFirst();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private MappingStats mapping(EsmSpec spec) {
        return mappings.computeIfAbsent(spec.uuid(), k -> new MappingStats());
    }

    /** The ring slot of {@code second}, cleared when it held an older second; -1 when outside the window. */
    private int slot(long second, long now) {
        if (second > now || second <= now - SECONDS) {
            return second > now ? slot(now, now) : -1;
        }
        int i = (int) Math.floorMod(second, (long) SECONDS);
        if (slotSecond[i] != second) {
            slotSecond[i] = second;
            written[i] = 0;
            projected[i] = 0;
            if (latency[i] != null) {
                latency[i].clear();
            }
        }
        return i;
    }

    /** The slot holding {@code second}, or -1 when nothing was recorded for it. */
    private int existing(long second, long now) {
        if (second > now || second <= now - SECONDS) {
            return -1;
        }
        int i = (int) Math.floorMod(second, (long) SECONDS);
        return slotSecond[i] == second ? i : -1;
    }

    private LatencyHistogram latency(int slot) {
        if (latency[slot] == null) {
            latency[slot] = new LatencyHistogram();
        }
        return latency[slot];
    }

    private static Instant created(Record r) {
        return r.dynamodb() == null ? null : r.dynamodb().approximateCreationDateTime();
    }

    private static String seq(List<Record> records, int i) {
        Record r = records.get(i);
        return r.dynamodb() == null ? null : r.dynamodb().sequenceNumber();
    }

    /** "POST /commands/{transaction_id}" (the resource), or "POST (no route)" when no resource matches. */
    private static String route(ApiGateway gateway, ApiRequest request) {
        String resource = gateway == null ? null : gateway.resourceOf(request);
        return request.httpMethod() + " " + (resource == null ? "(no route)" : resource);
    }
}
