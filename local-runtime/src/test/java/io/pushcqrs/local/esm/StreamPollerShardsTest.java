package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.EsmTestSupport.FakeInvoker;
import io.pushcqrs.local.esm.EsmTestSupport.Log;
import io.pushcqrs.local.esm.FakeStreams.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shards, lineage and iterator trouble, against an in-memory stream (moto keeps one shard per table). */
class StreamPollerShardsTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000";

    @TempDir
    Path dir;

    final Log log = new Log();
    final FakeInvoker fn = new FakeInvoker();
    final FakeStreams streams = new FakeStreams();
    final List<StreamPoller> pollers = new ArrayList<>();

    @AfterEach
    void stop() {
        pollers.forEach(StreamPoller::close);
    }

    StreamPoller start(String start, int batch) {
        EsmSpec spec = new EsmSpec("m", "fn", "arn:aws:lambda:us-east-1:1:function:fn", STREAM, start, batch, 0, false, 0, -1,
                false, null, true);
        StreamPoller p = new StreamPoller(spec, streams, null, fn, new CheckpointStore(dir),
                EsmTestSupport.fastOptions(log, Clock.systemUTC()));
        pollers.add(p);
        p.start();
        return p;
    }

    /**
     * Waits until the reader has read twice more after what was delivered so far: a record read again by mistake
     * would have been delivered by then (a batch is delivered before the next read).
     */
    void readsPastTheEnd() {
        int calls = streams.getRecordsCalls.get();
        await().atMost(DEADLINE).until(() -> streams.getRecordsCalls.get() >= calls + 2);
    }

    @Test
    void readsEveryShardOnEveryPageAndAParentBeforeItsChild() {
        streams.pageSize = 1;
        streams.shard("shard-parent", null);
        streams.shard("shard-child", "shard-parent");
        streams.shard("shard-other", null);
        streams.add("shard-parent", "p1", "p2", "p3");
        streams.add("shard-child", "c1", "c2");
        streams.add("shard-other", "o1");
        streams.shards.get("shard-parent").closed = true;

        start("TRIM_HORIZON", 2);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 6);

        List<String> ids = fn.deliveredIds();
        assertThat(ids).containsExactlyInAnyOrder("p1", "p2", "p3", "c1", "c2", "o1");
        assertThat(ids.indexOf("c1")).isGreaterThan(ids.indexOf("p3"));
        assertThat(ids.indexOf("c1")).isLessThan(ids.indexOf("c2"));
        assertThat(ids.indexOf("p1")).isLessThan(ids.indexOf("p2"));
        // said once the end is recorded
        await().atMost(DEADLINE).until(() -> log.contains("shard shard-parent is closed and read to its end"));
        CheckpointStore store = new CheckpointStore(dir);
        assertThat(store.isEnded("m", "shard-parent")).isTrue();
        assertThat(store.isEnded("m", "shard-child")).isFalse();
        assertThat(log.contains("stream has 3 shard(s)")).isTrue();
    }

    @Test
    void aRestartDoesNotReadAnEndedShardAgain() {
        streams.shard("shard-parent", null);
        streams.shard("shard-child", "shard-parent");
        streams.add("shard-parent", "p1");
        streams.shards.get("shard-parent").closed = true;
        StreamPoller first = start("TRIM_HORIZON", 10);
        await().atMost(DEADLINE).until(() -> new CheckpointStore(dir).isEnded("m", "shard-parent"));
        first.close();
        streams.add("shard-child", "c1");

        start("TRIM_HORIZON", 10);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("c1"));
        assertThat(fn.deliveredIds()).containsExactly("p1", "c1");
        assertThat(streams.iteratorRequests).filteredOn(r -> r.startsWith("shard-parent")).hasSize(1);
    }

    @Test
    void anExpiredIteratorIsTakenAgainAfterTheLastRecordRead() {
        streams.shard("s", null);
        streams.add("s", "a1", "a2", "a3", "a4");
        streams.failOnGetRecordsCall.put(2, Failure.EXPIRED);
        start("TRIM_HORIZON", 2);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 4);
        readsPastTheEnd();

        assertThat(fn.batches()).containsExactly(List.of("a1", "a2"), List.of("a3", "a4"));
        assertThat(log.contains("shard s: the iterator expired; taking a new one")).isTrue();
        assertThat(streams.iteratorRequests).containsExactly("s TRIM_HORIZON", "s AFTER_SEQUENCE_NUMBER 102");
    }

    @Test
    void aFailingGetRecordsIsRetriedWithANewIteratorWithoutLossOrRepeat() {
        streams.shard("s", null);
        streams.add("s", "a1", "a2", "a3");
        streams.failOnGetRecordsCall.put(1, Failure.SERVER_ERROR);
        streams.failOnGetRecordsCall.put(3, Failure.SERVER_ERROR);
        start("TRIM_HORIZON", 1);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 3);
        readsPastTheEnd();

        assertThat(fn.deliveredIds()).containsExactly("a1", "a2", "a3");
        assertThat(log.count("GetRecords failed (Unable to execute HTTP request: Connection reset); taking a new iterator"))
                .isEqualTo(2);
    }

    @Test
    void latestStartsAtTheEndOfOpenShardsAndSkipsClosedOnes() {
        streams.shard("old", null);
        streams.shard("new", "old");
        streams.add("old", "o1");
        streams.add("new", "n1");
        streams.shards.get("old").closed = true;
        start("LATEST", 10);
        await().atMost(DEADLINE).until(() -> streams.iteratorRequests.contains("new LATEST"));
        streams.add("new", "n2");
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("n2"));
        assertThat(fn.deliveredIds()).containsExactly("n2");
        assertThat(new CheckpointStore(dir).isEnded("m", "old")).isTrue();
    }

    @Test
    void aShardThatAppearsLaterIsReadFromItsStart() {
        streams.shard("first", null);
        streams.add("first", "f1");
        start("LATEST", 10);
        await().atMost(DEADLINE).until(() -> streams.iteratorRequests.contains("first LATEST"));
        synchronized (streams) {
            streams.shards.get("first").closed = true;
            streams.shard("second", "first");
            streams.add("second", "s1", "s2");
        }
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 2);
        assertThat(fn.deliveredIds()).containsExactly("s1", "s2");
        assertThat(streams.iteratorRequests).contains("second TRIM_HORIZON");
    }

    @Test
    void aBatchStopsGrowingAtLambdasSixMegabytePayloadLimit() {
        streams.shard("s", null);
        for (int i = 1; i <= 20; i++) {
            streams.addBig("s", "big" + i, 400_000);
        }
        start("TRIM_HORIZON", 100);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 20);

        assertThat(fn.calls).hasSizeGreaterThanOrEqualTo(2);
        assertThat(fn.calls.get(0).ids()).hasSize(15); // 15 x ~400 KB fit in 6 MiB, 16 do not
        assertThat(fn.calls).allSatisfy(c -> assertThat(c.event().toString().length()).isLessThanOrEqualTo(6 * 1024 * 1024));
        assertThat(fn.deliveredIds()).containsExactly(java.util.stream.IntStream.rangeClosed(1, 20)
                .mapToObj(i -> "big" + i).toArray(String[]::new));
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsReportedAndTheBatchIsSentAgainFromTheLastCheckpoint() throws Exception {
        streams.shard("s", null);
        streams.add("s", "a1", "a2");
        Path blocker = java.nio.file.Files.createDirectories(dir.resolve("m.json.tmp")); // the checkpoint cannot be written
        fn.script = c -> {
            if (c.n() == 2) {
                try {
                    java.nio.file.Files.delete(blocker);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return EsmTestSupport.ok();
        };
        start("TRIM_HORIZON", 1);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("a2"));

        assertThat(fn.deliveredIds()).containsExactly("a1", "a1", "a2");
        assertThat(log.contains("cannot write the checkpoint file")).isTrue();
        assertThat(log.contains("resuming from the checkpoint")).isTrue();
    }

    @Test
    void aFailingShardListOrAVanishedShardIsReportedAndRetried() {
        streams.shard("s", null);
        streams.add("s", "a1");
        streams.failDescribeStream.set(1);
        streams.shardGoneOnGetShardIterator.set(1);
        start("TRIM_HORIZON", 10);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("a1"));
        assertThat(log.contains("cannot list the shards: Unable to execute HTTP request: Connection refused; trying again")).isTrue();
        assertThat(log.contains("the shard or stream is gone: Requested resource not found: Shard not found")).isTrue();
        assertThat(fn.deliveredIds()).containsExactly("a1");
    }

    @Test
    void aCheckpointBeyondTheStreamsRetentionFallsBackToTheOldestRecord() {
        streams.shard("s", null);
        streams.add("s", "a1", "a2");
        new CheckpointStore(dir).put("m", "s", "5"); // trimmed away
        start("TRIM_HORIZON", 10);
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 2);
        assertThat(fn.deliveredIds()).containsExactly("a1", "a2");
        assertThat(log.contains("the checkpoint 5 is past the stream's retention; reading from TRIM_HORIZON")).isTrue();
    }

    @Test
    void aMissingStreamIsReportedOnceAndTheMappingKeepsTrying() {
        streams.streamMissing = true;
        StreamPoller p = start("TRIM_HORIZON", 10);
        // three listings: the first failure and two refreshes that fail the same way
        await().atMost(DEADLINE).until(() -> streams.describeStreamCalls.get() >= 3);
        assertThat(p.isRunning()).isTrue();
        assertThat(log.count("stream not found")).as("said once, not every refresh").isEqualTo(1);

        streams.shard("s", null);
        streams.add("s", "a1");
        streams.streamMissing = false;
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("a1"));
        p.close();
        assertThat(p.isRunning()).isFalse();
    }
}
