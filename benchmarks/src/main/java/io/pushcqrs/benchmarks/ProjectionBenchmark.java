package io.pushcqrs.benchmarks;

import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.ProjectionService;
import io.pushcqrs.projection.app.ViewStore;
import io.pushcqrs.projection.app.WriteGuard;
import io.pushcqrs.projection.app.WriteOutcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A 100-record batch (INSERTs of 100 notifications over 25 users) through the stream processor's ProjectionService
 * into an in-memory store with the conditional write's semantics: the function's own cost per batch, without the
 * network. {@code concurrency} is PROJECTION_CONCURRENCY (1: one write at a time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProjectionBenchmark {
    @Param({"1", "8"})
    public int concurrency;

    private List<ChangeRecord> batch;
    private ProjectionService service;
    private MemoryStore store;

    /** notification-records in a map: a put when the guard admits the item there, as the conditional PutItem. */
    static final class MemoryStore implements ViewStore {
        final Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();

        @Override
        public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
            return put(viewItem, guard);
        }

        @Override
        public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
            return put(tombstone, guard);
        }

        private WriteOutcome put(Map<String, AttributeValue> item, WriteGuard guard) {
            String key = item.get("user_id").s() + "/" + item.get("view_sk").s();
            WriteOutcome[] outcome = {WriteOutcome.STALE};
            items.compute(key, (k, before) -> {
                if (guard.admits(before)) {
                    outcome[0] = WriteOutcome.APPLIED;
                    return item;
                }
                return before;
            });
            return outcome[0];
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        batch = Data.inserts(100, 25, 1_000_000);
        store = new MemoryStore();
        service = new ProjectionService(store, Clock.systemUTC(), concurrency);
    }

    /** Each batch meets an empty table, as a first delivery does. */
    @Setup(Level.Invocation)
    public void emptyTable() {
        store.items.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        service.close();
    }

    @Benchmark
    public BatchResult project100Records() {
        return service.project(batch);
    }
}
