package io.pushcqrs.local.console;

import io.pushcqrs.local.apigw.ApiFixture;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.apigw.ApiRequest;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.rules.BatchOutcome;
import io.pushcqrs.local.lambda.InvokeResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleRecorderTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final EsmSpec BISECT = spec(true);
    static final EsmSpec NO_BISECT = spec(false);

    final MutableClock clock = new MutableClock(T0);
    final ConsoleRecorder recorder = new ConsoleRecorder(clock);

    static EsmSpec spec(boolean bisect) {
        return new EsmSpec("Mapping_1", "fn", "arn:aws:lambda:us-east-1:000000000000:function:fn",
                "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x", "TRIM_HORIZON", 100, 0, bisect, 3, 3600,
                true, "arn:aws:sqs:us-east-1:000000000000:dlq", true);
    }

    static Record record(String seq, Instant created) {
        return Record.builder().dynamodb(StreamRecord.builder().sequenceNumber(seq).approximateCreationDateTime(created)
                .build()).build();
    }

    static List<Record> records(int n, Instant created) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record(String.valueOf(100 + i), created));
        }
        return out;
    }

    static BatchOutcome outcome(InvokeResult r, List<Record> records) {
        return BatchOutcome.of(r, records.stream().map(x -> x.dynamodb().sequenceNumber()).toList(), true);
    }

    @Test
    void syncLatencyIsFromTheRecordsCreationToTheirProjection() {
        List<Record> batch = records(4, T0);
        recorder.recordsRead(BISECT, batch);
        clock.advance(Duration.ofMillis(350));
        recorder.projected(BISECT, batch.subList(0, 2));
        clock.advance(Duration.ofMillis(650)); // t0 + 1 s
        recorder.projected(BISECT, batch.subList(2, 4));

        ConsoleRecorder.Window w = recorder.window(60);
        assertThat(w.written()).isEqualTo(4);
        assertThat(w.projected()).isEqualTo(4);
        assertThat(w.p50Ms()).isBetween(333L, 368L);  // 350 within the histogram's 5 %
        assertThat(w.p99Ms()).isBetween(950L, 1000L); // 1000
        assertThat(w.maxMs()).isEqualTo(1000);
        assertThat(w.lastMs()).isEqualTo(1000);
        assertThat(w.lastProjected()).isEqualTo(T0.plusSeconds(1));
        assertThat(w.writtenTotal()).isEqualTo(4);
        assertThat(w.projectedTotal()).isEqualTo(4);
        assertThat(recorder.window(10).projectionRate()).isEqualTo(0.4);
    }

    @Test
    void writtenIsCountedAtTheRecordsCreationSecondEvenWhenReadLater() {
        recorder.recordsRead(BISECT, records(3, T0));
        clock.advance(Duration.ofSeconds(30)); // read half a minute later: still counted where it was written
        recorder.recordsRead(BISECT, records(2, T0.plusSeconds(5)));
        recorder.projected(BISECT, records(5, T0));
        List<ConsoleRecorder.Bucket> series = recorder.series(60, 5);
        long writtenAtT0 = series.stream().filter(b -> b.start() == T0.getEpochSecond()).mapToLong(ConsoleRecorder.Bucket::written).sum();
        long writtenAt5 = series.stream().filter(b -> b.start() == T0.getEpochSecond() + 5).mapToLong(ConsoleRecorder.Bucket::written).sum();
        assertThat(writtenAtT0).isEqualTo(3);
        assertThat(writtenAt5).isEqualTo(2);
        ConsoleRecorder.Bucket last = series.get(series.size() - 1);
        assertThat(last.projected()).isEqualTo(5);
        assertThat(last.p50Ms()).isBetween(28_500L, 31_500L);
        assertThat(series).allSatisfy(b -> assertThat(b.start() % 5).isZero());
        assertThat(series.get(0).start()).isGreaterThan(clock.instant().getEpochSecond() - 65);
    }

    @Test
    void historyOlderThanTheRingIsForgottenAndNotReused() {
        recorder.recordsRead(BISECT, records(7, T0));
        recorder.projected(BISECT, records(7, T0));
        clock.advance(Duration.ofSeconds(ConsoleRecorder.SECONDS)); // the same ring slot, one lap later
        assertThat(recorder.window(60).projected()).isZero();
        assertThat(recorder.series(ConsoleRecorder.SECONDS, 10)).allSatisfy(b -> {
            assertThat(b.written()).isZero();
            assertThat(b.p50Ms()).isNull();
        });
        recorder.projected(BISECT, records(1, clock.instant()));
        assertThat(recorder.window(1).projected()).isEqualTo(1); // the slot was cleared, not added to
        assertThat(recorder.window(60).projectedTotal()).isEqualTo(8);
        // a record created before the ring's window is counted in the totals only
        recorder.recordsRead(BISECT, records(1, T0.minusSeconds(3600)));
        assertThat(recorder.window(ConsoleRecorder.SECONDS).writtenTotal()).isEqualTo(8);
    }

    @Test
    void batchesAreKeptNewestFirstWithTheirOutcomeAndAFailingShardIsRetrying() {
        List<Record> four = records(4, T0);
        recorder.batch(BISECT, "shard-1", four, 1, outcome(new InvokeResult(200, "{}".getBytes(StandardCharsets.UTF_8), null, "r1", 5), four), 5);
        assertThat(recorder.mapping("Mapping_1").retrying()).isFalse();
        recorder.batch(BISECT, "shard-1", four, 1, outcome(functionError(), four), 7);
        assertThat(recorder.mapping("Mapping_1").retrying()).isTrue();
        recorder.batch(NO_BISECT, "shard-1", four, 2, outcome(functionError(), four), 7);
        recorder.batch(BISECT, "shard-1", four.subList(0, 1), 3, outcome(functionError(), four.subList(0, 1)), 7);
        recorder.discarded(BISECT, "shard-1", four.subList(0, 1), "RetryAttemptsExhausted", true);
        recorder.discarded(BISECT, "shard-1", four.subList(1, 2), "RecordAgeExceeded", false);

        ConsoleRecorder.MappingSnapshot m = recorder.mapping("Mapping_1");
        assertThat(m.retrying()).isFalse(); // the give-up moved the shard on
        assertThat(m.discarded()).isEqualTo(2);
        assertThat(m.recent()).extracting(ConsoleRecorder.Batch::outcome).containsExactly(
                "DISCARDED", "SENT TO QUEUE", "FUNCTION ERROR", "FUNCTION ERROR", "BISECT", "OK");
        ConsoleRecorder.Batch sent = m.recent().get(1);
        assertThat(sent.detail()).isEqualTo("RetryAttemptsExhausted");
        assertThat(sent.firstSeq()).isEqualTo("100");
        assertThat(m.recent().get(4).records()).isEqualTo(4);
        assertThat(m.recent().get(4).firstSeq()).isEqualTo("100");
        assertThat(m.recent().get(4).lastSeq()).isEqualTo("103");
        assertThat(recorder.mapping("unknown").recent()).isEmpty();

        for (int i = 0; i < 40; i++) {
            recorder.batch(BISECT, "shard-1", four, 1, outcome(new InvokeResult(200, "{}".getBytes(StandardCharsets.UTF_8), null, "r", 1), four), 1);
        }
        assertThat(recorder.mapping("Mapping_1").recent()).hasSize(ConsoleRecorder.RECENT_BATCHES);
    }

    private static InvokeResult functionError() {
        return new InvokeResult(200, "{\"errorMessage\":\"boom\"}".getBytes(StandardCharsets.UTF_8), "Unhandled", "r2", 3);
    }

    @Test
    void invocationsCountErrorsColdStartsAndRefusalsApart() {
        recorder.invocation("fn", 1200, "OK", true);
        recorder.invocation("fn", 10, "OK", false);
        recorder.invocation("fn", 12, "ERROR(java.lang.IllegalStateException)", false);
        recorder.invocation("fn", 0, "THROTTLED(ConcurrentInvocationLimitExceeded)", null);
        recorder.invocation("", 0, "NOT_FOUND", null);
        Map<String, ConsoleRecorder.FunctionSnapshot> f = recorder.functions();
        ConsoleRecorder.FunctionSnapshot fn = f.get("fn");
        assertThat(fn.invocations()).isEqualTo(3);
        assertThat(fn.errors()).isEqualTo(1);
        assertThat(fn.coldStarts()).isEqualTo(1);
        assertThat(fn.refused()).isEqualTo(1);
        assertThat(fn.lastError()).isEqualTo("ERROR(java.lang.IllegalStateException)");
        assertThat(fn.lastRefusal()).startsWith("THROTTLED");
        assertThat(fn.p50Ms()).isBetween(11L, 13L);
        assertThat(fn.p99Ms()).isBetween(1140L, 1200L);
        assertThat(fn.last()).isEqualTo(T0);
        assertThat(f.get("-").refused()).isEqualTo(1);
    }

    @Test
    void apiRequestsAreCountedPerRouteAndStatusClass() {
        ApiGateway gateway = new ApiGateway(List.of(ApiFixture.api()), (fn, payload) -> null, line -> { });
        String stage = ApiFixture.api().stages().keySet().iterator().next();
        recorder.apiRequest(gateway, request("POST", stage, "/commands"), 201);
        recorder.apiRequest(gateway, request("POST", stage, "/commands"), 400);
        recorder.apiRequest(gateway, request("PATCH", stage, "/commands/tx-1"), 200);
        recorder.apiRequest(gateway, request("PATCH", stage, "/commands/tx-2"), 503);
        recorder.apiRequest(gateway, request("GET", stage, "/nowhere/at/all"), 403);
        Map<String, long[]> routes = recorder.routes();
        assertThat(routes.get("POST /commands")).containsExactly(0, 1, 0, 1, 0);
        assertThat(routes.get("PATCH /commands/{transaction_id}")).containsExactly(0, 1, 0, 0, 1);
        assertThat(routes.get("GET (no route)")).containsExactly(0, 0, 0, 1, 0);
        assertThat(routes).hasSize(3); // one entry per resource, not per transaction id
    }

    static ApiRequest request(String method, String stage, String path) {
        return new ApiRequest(method, null, stage, path, null, Map.of(), new byte[0], "127.0.0.1", "HTTP/1.1");
    }

    @Test
    void noEventsNoWork() {
        // nothing was recorded: every read answers empty, with no thread or timer behind it
        assertThat(recorder.window(60).projected()).isZero();
        assertThat(recorder.window(60).p50Ms()).isNull();
        assertThat(recorder.functions()).isEmpty();
        assertThat(recorder.routes()).isEmpty();
        assertThat(recorder.series(600, 5)).hasSizeBetween(120, 121).allSatisfy(b -> assertThat(b.projected()).isZero());
    }
}
