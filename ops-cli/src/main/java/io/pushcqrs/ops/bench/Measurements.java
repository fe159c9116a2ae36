package io.pushcqrs.ops.bench;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.ops.api.ApiClient;
import io.pushcqrs.ops.insert.CommandGenerator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The measurements of one bench run against one stack. "Visible" means the command's view is in the read table (what
 * GET /tx would find), read straight from DynamoDB by its key, so that polling for it neither waits on the API's
 * throttle nor adds Lambda invocations or backend scans to what is measured. Every wait is bounded by the run's timeout.
 */
final class Measurements {
    private static final String QUERY_USER = "bench-query-user";
    private final DynamoDbClient ddb;
    private final ApiClient api;
    private final String commandTable;
    private final String notificationTable;
    private final BenchCommand.Sizes sizes;
    private final Duration timeout;
    private final Consumer<String> progress;
    private final CommandGenerator generator;

    Measurements(DynamoDbClient ddb, ApiClient api, String commandTable, String notificationTable,
                 BenchCommand.Sizes sizes, Duration timeout, Consumer<String> progress) {
        this.ddb = ddb;
        this.api = api;
        this.commandTable = commandTable;
        this.notificationTable = notificationTable;
        this.sizes = sizes;
        this.timeout = timeout;
        this.progress = progress;
        this.generator = new CommandGenerator(System.nanoTime(), sizes.users(), 20, 0.05, System.currentTimeMillis());
    }

    private synchronized Notification next() {
        return generator.next().toBuilder().version(null).build();
    }

    /** Start-up to the first query answered (200), then the first command POSTed until it is visible. */
    Map<String, Object> startup(long startedAtMillis, List<String> failures) {
        Map<String, Object> m = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                ApiClient.Answer a = api.get("/query/user", Map.of("user_id", "bench-startup"));
                if (a.status() == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    failures.add("start-up: no query answered 200 within " + timeout.toSeconds() + " s (last " + a.status() + ")");
                    return m;
                }
                Thread.sleep(50);
            }
            long firstQuery = System.currentTimeMillis();
            m.put("to_first_query_ms", firstQuery - startedAtMillis);
            progress.accept("start-up: first query answered " + (firstQuery - startedAtMillis) + " ms after the start");
            Notification n = next();
            long sent = System.nanoTime();
            ApiClient.Answer a = api.post("/commands", Json.write(n));
            if (a.status() != 201) {
                failures.add("start-up: first POST answered " + a.status() + " " + a.errorText());
                return m;
            }
            long visible = awaitVisible(n, deadline);
            if (visible < 0) {
                failures.add("start-up: the first command was not visible within the timeout");
                return m;
            }
            m.put("first_command_ack_ms", Math.round(a.nanos() / 1e6));
            m.put("first_command_visible_ms", Math.round((visible - sent) / 1e6));
            progress.accept("start-up: first command visible " + m.get("first_command_visible_ms") + " ms after its POST");
        } catch (IOException e) {
            failures.add("start-up: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    /** One command at a time: POST acknowledged -> visible, {@code samples} times, 100 ms apart. */
    Map<String, Object> lightSync(List<String> failures) {
        Latency sync = new Latency();
        Latency post = new Latency();
        int errors = 0;
        try {
            for (int i = 0; i < sizes.samples(); i++) {
                Notification n = next().toBuilder().userId(QUERY_USER).build();
                long sent = System.nanoTime();
                ApiClient.Answer a = api.post("/commands", Json.write(n));
                long ack = System.nanoTime();
                if (a.status() != 201) {
                    errors++;
                    continue;
                }
                post.record(Math.round((ack - sent) / 1e6));
                long visible = awaitVisible(n, ack + timeout.toNanos());
                if (visible < 0) {
                    errors++;
                    continue;
                }
                sync.record(Math.round((visible - ack) / 1e6));
                Thread.sleep(100);
            }
        } catch (IOException e) {
            failures.add("light sync: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (errors > 0) {
            failures.add("light sync: " + errors + " of " + sizes.samples() + " commands failed or were not visible");
        }
        progress.accept("light sync: " + sync.summary());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync.summary());
        m.put("post", post.summary());
        m.put("errors", errors);
        return m;
    }

    /** GET /query/user through the API vs the same Query straight to the table, alternated, after 5 of each to warm. */
    Map<String, Object> queries(List<String> failures) {
        Latency viaApi = new Latency();
        Latency direct = new Latency();
        QueryRequest query = QueryRequest.builder().tableName(notificationTable)
                .keyConditionExpression("#u = :u").expressionAttributeNames(Map.of("#u", Attr.USER_ID))
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(QUERY_USER)))
                .scanIndexForward(false).limit(30).build();
        int errors = 0;
        try {
            for (int i = -5; i < sizes.samples(); i++) {
                long t0 = System.nanoTime();
                ApiClient.Answer a = api.get("/query/user", Map.of("user_id", QUERY_USER, "limit", "30"));
                long t1 = System.nanoTime();
                ddb.query(query);
                long t2 = System.nanoTime();
                if (a.status() != 200 || a.throttled() > 0) {
                    errors++;
                    continue;
                }
                if (i >= 0) {
                    viaApi.record(Math.round((t1 - t0) / 1e6));
                    direct.record(Math.round((t2 - t1) / 1e6));
                }
            }
        } catch (IOException | SdkException e) {
            failures.add("query: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (errors > 0) {
            failures.add("query: " + errors + " API answers were not 200 (or throttled)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("api", viaApi.summary());
        m.put("direct", direct.summary());
        if (direct.percentile(50) > 0) {
            m.put("p50_ratio", Math.round(100.0 * viaApi.percentile(50) / direct.percentile(50)) / 100.0);
        }
        if (direct.percentile(99) > 0) {
            m.put("p99_ratio", Math.round(100.0 * viaApi.percentile(99) / direct.percentile(99)) / 100.0);
        }
        progress.accept("query: API " + viaApi.summary() + " vs direct " + direct.summary());
        return m;
    }

    /** PutItem into a plain table of command-records' keys (no stream), with the burst's threads and items. */
    Map<String, Object> rawWrites(List<String> failures) {
        String table = "bench-raw-" + System.currentTimeMillis();
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(Attr.TRANSACTION_ID).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(Attr.CREATED_AT).attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName(Attr.TRANSACTION_ID).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(Attr.CREATED_AT).keyType(KeyType.RANGE).build()));
            ddb.waiter().waitUntilTableExists(b -> b.tableName(table));
            Writes w = write(table, sizes.rawCount());
            m.put("table", "a plain table of command-records' keys, no stream (created and deleted by the run)");
            m.put("count", sizes.rawCount());
            m.put("errors", w.errors);
            m.put("seconds", round(w.seconds()));
            m.put("rate_per_s", round(w.rate()));
            m.put("put_latency", w.latency.summary());
            if (w.errors > 0) {
                failures.add("raw writes: " + w.errors + " PutItems failed (" + w.firstError + ")");
            }
            progress.accept("raw writes: " + round(w.rate()) + "/s");
        } catch (SdkException e) {
            failures.add("raw writes: " + e.getMessage());
        } finally {
            try {
                ddb.deleteTable(b -> b.tableName(table));
            } catch (SdkException e) {
                // not created, or already gone
            }
        }
        return m;
    }

    /**
     * {@code n} commands PutItem'd into command-records at full speed; measures the write rate, when the read table
     * holds them all (caught up), the projection rate from the first write to then, and the lag after the last write.
     * With {@code probes}, commands are POSTed every 250 ms while the writes run and their sync latency is measured.
     */
    Map<String, Object> burst(int n, boolean probes, List<String> failures) {
        String what = probes ? "sustained" : "burst";
        Map<String, Object> m = new LinkedHashMap<>();
        long baseline = itemCount();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger probesPosted = new AtomicInteger();
        Latency probeSync = new Latency();
        ExecutorService probeThreads = Executors.newFixedThreadPool(2);
        List<Future<?>> probeTasks = new ArrayList<>();
        ConcurrentLinkedQueue<long[]> pendingAcks = new ConcurrentLinkedQueue<>();
        Map<Long, Notification> pendingIds = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong probeIds = new AtomicLong();
        AtomicInteger probeErrors = new AtomicInteger();
        if (probes) {
            probeTasks.add(probeThreads.submit(() -> {
                while (writing.get()) {
                    Notification c = next();
                    try {
                        ApiClient.Answer a = api.post("/commands", Json.write(c));
                        long ack = System.nanoTime();
                        if (a.status() == 201) {
                            probesPosted.incrementAndGet();
                            long id = probeIds.incrementAndGet();
                            pendingIds.put(id, c);
                            pendingAcks.add(new long[] {id, ack});
                        } else {
                            probeErrors.incrementAndGet();
                        }
                        Thread.sleep(250);
                    } catch (IOException e) {
                        probeErrors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
            probeTasks.add(probeThreads.submit(() -> {
                long deadline = Long.MAX_VALUE;
                while (true) {
                    if (!writing.get() && deadline == Long.MAX_VALUE) {
                        deadline = System.nanoTime() + timeout.toNanos();
                    }
                    long[] p = pendingAcks.peek();
                    if (p == null) {
                        if (!writing.get() && probeTasks.get(0).isDone()) {
                            return;
                        }
                        sleep(5);
                        continue;
                    }
                    if (System.nanoTime() > deadline) {
                        // the read side did not catch up: what is still pending was not seen
                        probeErrors.addAndGet(pendingAcks.size());
                        pendingAcks.clear();
                    } else if (visible(pendingIds.get(p[0]))) {
                        probeSync.record(Math.round((System.nanoTime() - p[1]) / 1e6));
                        pendingAcks.poll();
                    } else {
                        sleep(10);
                    }
                }
            }));
        }
        progress.accept(what + ": writing " + n + " commands into " + commandTable + " from " + sizes.threads() + " threads");
        long start = System.nanoTime();
        Writes w;
        try {
            w = write(commandTable, n);
        } finally {
            writing.set(false);
        }
        long lastWrite = System.nanoTime();
        progress.accept(what + ": written at " + round(w.rate()) + "/s; waiting for the read side");
        long deadline = lastWrite + timeout.toNanos();
        long caughtUp = -1;
        long lastReport = System.nanoTime();
        long have = baseline;
        while (System.nanoTime() < deadline) {
            long target = baseline + (n - w.errors) + probesPosted.get();
            have = itemCount();
            if (have >= target && (!probes || probeTasks.get(0).isDone())) {
                caughtUp = System.nanoTime();
                break;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                progress.accept(what + ": " + (have - baseline) + " of " + (target - baseline) + " projected");
                lastReport = System.nanoTime();
            }
            sleep(50);
        }
        for (Future<?> f : probeTasks) {
            try {
                f.get(timeout.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (Exception e) {
                f.cancel(true);
            }
        }
        probeThreads.shutdownNow();
        m.put("count", n);
        m.put("write_errors", w.errors);
        m.put("write_seconds", round(w.seconds()));
        m.put("write_rate_per_s", round(w.rate()));
        m.put("put_latency", w.latency.summary());
        if (w.errors > 0) {
            failures.add(what + ": " + w.errors + " PutItems failed (" + w.firstError + ")");
        }
        if (caughtUp < 0) {
            // what was projected by then, and at what rate: the read side's speed all the same, marked as not caught up
            double seconds = (System.nanoTime() - start) / 1e9;
            m.put("caught_up", false);
            m.put("projected_by_timeout", have - baseline);
            m.put("projection_seconds", round(seconds));
            m.put("projection_rate_per_s", round((have - baseline) / seconds));
            failures.add(what + ": the read side did not catch up within " + timeout.toSeconds() + " s of the last write ("
                    + (have - baseline) + " of " + (n - w.errors + probesPosted.get()) + " projected)");
        } else {
            m.put("caught_up", true);
            double seconds = (caughtUp - start) / 1e9;
            m.put("caught_up_after_last_write_ms", Math.round((caughtUp - lastWrite) / 1e6));
            m.put("projection_seconds", round(seconds));
            m.put("projection_rate_per_s", round((n - w.errors + probesPosted.get()) / seconds));
            progress.accept(what + ": caught up " + m.get("caught_up_after_last_write_ms") + " ms after the last write; "
                    + m.get("projection_rate_per_s") + "/s projected");
        }
        if (probes) {
            m.put("sync_saturated", probeSync.summary());
            m.put("probes", probesPosted.get());
            if (probeErrors.get() > 0) {
                failures.add(what + ": " + probeErrors.get() + " probe commands failed or were not visible");
            }
            progress.accept(what + ": sync latency while saturated " + probeSync.summary());
        }
        return m;
    }

    /** What the writer threads did. */
    private record Writes(long nanos, int count, int errors, String firstError, Latency latency) {
        double seconds() {
            return nanos / 1e9;
        }

        double rate() {
            return nanos == 0 ? 0 : (count - errors) / seconds();
        }
    }

    private Writes write(String table, int n) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(NotificationMapper.toCommandItem(next()));
        }
        AtomicInteger index = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        Latency latency = new Latency();
        ExecutorService pool = Executors.newFixedThreadPool(sizes.threads());
        long start = System.nanoTime();
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < sizes.threads(); t++) {
            tasks.add(pool.submit(() -> {
                for (int i = index.getAndIncrement(); i < n; i = index.getAndIncrement()) {
                    Map<String, AttributeValue> item = items.get(i);
                    long t0 = System.nanoTime();
                    try {
                        ddb.putItem(b -> b.tableName(table).item(item));
                        latency.record(Math.round((System.nanoTime() - t0) / 1e6));
                    } catch (SdkException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                    }
                }
            }));
        }
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (Exception e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, String.valueOf(e));
            }
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        return new Writes(nanos, n, errors.get(), firstError.get(), latency);
    }

    /** The read table's item count (DescribeTable: live on the embedded stack and LocalStack; AWS refreshes it ~6-hourly). */
    private long itemCount() {
        Long c = ddb.describeTable(b -> b.tableName(notificationTable)).table().itemCount();
        return c == null ? 0 : c;
    }

    /**
     * Whether the command's view is in the read table: a GetItem of its key (user_id, view_sk), what GET /tx finds
     * through transaction-index. A GetItem costs the backend the same whatever the table holds; moto answers a GSI
     * Query by reading every item, which would slow the projection being measured.
     */
    private boolean visible(Notification n) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(notificationTable)
                .key(NotificationMapper.viewKey(n.userId(), n.createdAt(), n.transactionId()))).item();
        return item != null && !item.isEmpty() && !item.containsKey(Attr.DELETED);
    }

    /** System.nanoTime() when the command was first seen, or -1 past the deadline. */
    private long awaitVisible(Notification n, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos) {
            if (visible(n)) {
                return System.nanoTime();
            }
            sleep(2);
        }
        return -1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
