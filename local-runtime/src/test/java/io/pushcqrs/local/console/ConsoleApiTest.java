package io.pushcqrs.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.ApiGateway;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(ConsoleRecorderTest.T0);
    final ConsoleRecorder recorder = new ConsoleRecorder(clock);
    final FakeSource source = new FakeSource();
    final ConsoleApi api = new ConsoleApi(source, recorder, clock);

    JsonNode json(Object answer) {
        return JSON.valueToTree(answer);
    }

    EsmSpec mapping() {
        return source.model.mappings().get(0);
    }

    @Test
    void overviewShowsTheReadSideAndTheMapping() {
        source.lag = new ConsoleSource.Lag(7, false, 4_200L, null);
        recorder.recordsRead(mapping(), ConsoleRecorderTest.records(9, ConsoleRecorderTest.T0));
        clock.advance(Duration.ofMillis(800));
        recorder.projected(mapping(), ConsoleRecorderTest.records(2, ConsoleRecorderTest.T0));

        JsonNode o = json(api.overview());
        assertThat(o.at("/stack/name").asText()).isEqualTo(source.model.stackName());
        assertThat(o.at("/stack/status").asText()).isEqualTo("running");
        assertThat(o.at("/stack/uptimeSeconds").asLong()).isEqualTo(90);
        JsonNode read = o.get("readSide");
        assertThat(read.get("recordsBehind").asLong()).isEqualTo(7);
        assertThat(read.get("lagMs").asLong()).isEqualTo(4_200);
        assertThat(read.get("iteratorAgeMs").asLong()).isEqualTo(120);
        assertThat(read.at("/syncLatency/p50Ms").asLong()).isBetween(760L, 840L);
        assertThat(read.at("/syncLatency/windowSeconds").asInt()).isEqualTo(60);
        assertThat(read.get("projectionRatePerSecond").asDouble()).isEqualTo(0.2);
        assertThat(read.get("writtenTotal").asLong()).isEqualTo(9);
        assertThat(read.get("projectedTotal").asLong()).isEqualTo(2);
        JsonNode m = o.at("/mappings/0");
        assertThat(m.get("state").asText()).isEqualTo("POLLING");
        assertThat(m.get("batchSize").asInt()).isEqualTo(mapping().batchSize());
        assertThat(m.get("batchingWindowSeconds").asInt()).isEqualTo(mapping().maxBatchingWindowSeconds());
        assertThat(m.get("function").asText()).isEqualTo(mapping().functionName());
        assertThat(m.get("recordsBehind").asLong()).isEqualTo(7);
        assertThat(m.get("invocations").asLong()).isEqualTo(3);
        assertThat(m.get("recentBatches")).isEmpty();
    }

    @Test
    void nothingBehindIsZeroLagWhateverTheLastIteratorAge() {
        source.lag = ConsoleSource.Lag.NONE;
        source.iteratorAgeMs = 2_500; // AWS's metric stays at the last invocation's value
        JsonNode read = json(api.overview()).get("readSide");
        assertThat(read.get("recordsBehind").asLong()).isZero();
        assertThat(read.get("lagMs").asLong()).isZero();
        assertThat(read.get("iteratorAgeMs").asLong()).isEqualTo(2_500);
        assertThat(read.at("/syncLatency/p50Ms").isNull()).isTrue();
    }

    @Test
    void theMappingStateSaysRetryingStuckOrDisabled() {
        List<software.amazon.awssdk.services.dynamodb.model.Record> one = ConsoleRecorderTest.records(1, ConsoleRecorderTest.T0);
        recorder.batch(mapping(), "s", one, 1, ConsoleRecorderTest.outcome(
                new io.pushcqrs.local.lambda.InvokeResult(200, "{}".getBytes(), "Unhandled", "r", 1), one), 1);
        assertThat(json(api.overview()).at("/mappings/0/state").asText()).isEqualTo("RETRYING");
        assertThat(json(api.overview()).at("/mappings/0/recentBatches/0/outcome").asText()).isEqualTo("FUNCTION ERROR");
        source.state = StreamPoller.State.STUCK;
        JsonNode m = json(api.overview()).at("/mappings/0");
        assertThat(m.get("state").asText()).isEqualTo("STUCK");
        assertThat(m.get("problem").asText()).contains("GetRecords failed");
        source.state = StreamPoller.State.DISABLED;
        assertThat(json(api.overview()).at("/mappings/0/state").asText()).isEqualTo("DISABLED");
        source.lag = new ConsoleSource.Lag(0, false, null, "cannot read the stream: moto is gone");
        assertThat(json(api.overview()).at("/mappings/0/lagProblem").asText()).contains("moto is gone");
    }

    @Test
    void functionsCarryTheirCountersAndLastLogLines() {
        String fn = source.model.functions().get(0).name();
        recorder.invocation(fn, 900, "OK", true);
        recorder.invocation(fn, 20, "TIMEOUT", false);
        JsonNode f = json(api.functions()).get("functions");
        assertThat(f).hasSize(source.model.functions().size());
        JsonNode first = f.get(0);
        assertThat(first.get("name").asText()).isEqualTo(fn);
        assertThat(first.get("state").asText()).isEqualTo("Active");
        assertThat(first.get("invocations").asLong()).isEqualTo(2);
        assertThat(first.get("errors").asLong()).isEqualTo(1);
        assertThat(first.get("coldStarts").asLong()).isEqualTo(1);
        assertThat(first.get("environments").asInt()).isEqualTo(1);
        assertThat(first.get("maxEnvironments").asInt()).isEqualTo(4);
        assertThat(first.get("p99Ms").asLong()).isBetween(860L, 900L);
        assertThat(first.get("lastError").asText()).isEqualTo("TIMEOUT");
        assertThat(first.get("log")).hasSize(2);
        assertThat(f.get(1).get("invocations").asLong()).isZero();
        assertThat(f.get(1).get("p50Ms").isNull()).isTrue();
    }

    @Test
    void theDlqShowsDepthAndMessagesWithShardRangeAndReason() {
        source.queues.add(FakeSource.dlq(1, FakeSource.message("100", "100")));
        JsonNode q = json(api.dlq()).at("/queues/0");
        assertThat(q.get("depth").asLong()).isEqualTo(1);
        JsonNode m = q.at("/messages/0");
        assertThat(m.get("shardId").asText()).isEqualTo("shardId-1");
        assertThat(m.get("startSequenceNumber").asText()).isEqualTo("100");
        assertThat(m.get("endSequenceNumber").asText()).isEqualTo("100");
        assertThat(m.get("reason").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(m.get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(m.get("sentAt").asText()).isEqualTo("2026-12-02T09:59:00Z");
        source.queues.set(0, new ConsoleSource.QueueInfo("dlq", "u", null, null, List.of(), "cannot read the queue: x"));
        assertThat(json(api.dlq()).at("/queues/0/problem").asText()).contains("cannot read the queue");
        assertThat(json(api.dlq()).at("/queues/0/depth").isNull()).isTrue();
    }

    @Test
    void tablesShowItemCountsKeysAndGsis() {
        source.tables.add(new ConsoleSource.TableInfo("views", "ACTIVE", 42L, 1000L, List.of("user_id (HASH)", "view_sk (RANGE)"),
                null, List.of(new ConsoleSource.IndexInfo("sns-index", List.of("sns_id (HASH)"), "ACTIVE", 3L)), null));
        JsonNode t = json(api.tables()).at("/tables/0");
        assertThat(t.get("itemCount").asLong()).isEqualTo(42);
        assertThat(t.get("keys").get(1).asText()).isEqualTo("view_sk (RANGE)");
        assertThat(t.at("/gsis/0/name").asText()).isEqualTo("sns-index");
        assertThat(t.at("/gsis/0/itemCount").asLong()).isEqualTo(3);
        assertThat(t.get("stream").isNull()).isTrue();
    }

    @Test
    void theApiListsEveryRouteWithCountsByStatusClassAndMasksTheKey() {
        ApiGateway gateway = new ApiGateway(source.model.apis(), (fn, p) -> null, line -> { });
        String stage = source.model.apis().get(0).stages().keySet().iterator().next();
        recorder.apiRequest(gateway, ConsoleRecorderTest.request("POST", stage, "/commands"), 201);
        recorder.apiRequest(gateway, ConsoleRecorderTest.request("POST", stage, "/commands"), 429);
        recorder.apiRequest(gateway, ConsoleRecorderTest.request("GET", stage, "/no/such/path"), 403);
        JsonNode a = json(api.api());
        String text = a.toString();
        assertThat(text).doesNotContain(io.pushcqrs.local.apigw.ApiFixture.KEY);
        assertThat(a.at("/apis/0/stages/0/apiKeys/0/value").asText()).isEqualTo("test\u2026 (25 characters)");
        JsonNode post = null;
        int routes = 0;
        for (JsonNode r : a.get("routes")) {
            routes++;
            if (r.get("route").asText().equals("POST /commands")) {
                post = r;
            }
        }
        assertThat(routes).isEqualTo(source.model.apis().get(0).methods().size() + 1); // + the unrouted requests
        assertThat(post).isNotNull();
        assertThat(post.get("2xx").asLong()).isEqualTo(1);
        assertThat(post.get("4xx").asLong()).isEqualTo(1);
        assertThat(post.get("total").asLong()).isEqualTo(2);
        assertThat(post.get("function").asText()).isNotBlank();
        assertThat(text).contains("\"route\":\"GET (no route)\"");
    }

    @Test
    void maskShowsAtMostAQuarterOfTheKey() {
        assertThat(ConsoleApi.mask("GwiVWrs9TJ79J4mL2v6cFQG3FSi8KnytmX1P4plV")).isEqualTo("GwiV\u2026 (40 characters)");
        assertThat(ConsoleApi.mask("abc")).isEqualTo("\u2026 (3 characters)");
        assertThat(ConsoleApi.mask(null)).isEmpty();
    }

    @Test
    void chartsAreBucketedOldestFirstWithinBounds() {
        recorder.recordsRead(mapping(), ConsoleRecorderTest.records(10, ConsoleRecorderTest.T0));
        recorder.projected(mapping(), ConsoleRecorderTest.records(10, ConsoleRecorderTest.T0));
        JsonNode c = json(api.charts(600, 5));
        assertThat(c.get("bucketSeconds").asInt()).isEqualTo(5);
        JsonNode buckets = c.get("buckets");
        assertThat(buckets.size()).isBetween(120, 121);
        JsonNode last = buckets.get(buckets.size() - 1);
        assertThat(last.get("written").asLong()).isEqualTo(10);
        assertThat(last.get("projected").asLong()).isEqualTo(10);
        assertThat(last.get("p50Ms").asLong()).isZero();
        assertThat(buckets.get(0).get("t").asLong()).isLessThan(last.get("t").asLong());
        assertThat(json(api.charts(1_000_000, 1_000)).get("bucketSeconds").asInt()).isEqualTo(60);
        assertThat(json(api.charts(0, 0)).get("seconds").asInt()).isEqualTo(10);
    }

    @Test
    void checkSyncAnswersTheCountsOfCheckSyncJson() {
        source.report = FakeSource.outOfSync();
        JsonNode r = api.checkSync();
        assertThat(r.get("in_sync").asBoolean()).isFalse();
        assertThat(r.at("/missing/count").asLong()).isEqualTo(2);
        assertThat(r.at("/stale/count").asLong()).isZero();
        assertThat(r.at("/orphan/count").asLong()).isZero();
        assertThat(r.at("/unmappable/count").asLong()).isEqualTo(1);
        assertThat(r.get("problems").asLong()).isEqualTo(3);
        assertThat(r.get("checked_at").asText()).isEqualTo(ConsoleRecorderTest.T0.toString());
    }
}
