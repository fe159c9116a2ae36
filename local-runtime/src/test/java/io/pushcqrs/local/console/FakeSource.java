package io.pushcqrs.local.console;

import io.pushcqrs.local.apigw.ApiFixture;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.model.sync.Category;
import io.pushcqrs.model.sync.SyncReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A stack for the console's tests: the test assembly's model, with states and answers the test sets. */
class FakeSource implements ConsoleSource {
    final StackModel model = ApiFixture.model("http://127.0.0.1:4566");
    StreamPoller.State state = StreamPoller.State.POLLING;
    Lag lag = Lag.NONE;
    long iteratorAgeMs = 120;
    List<QueueInfo> queues = new ArrayList<>();
    List<TableInfo> tables = new ArrayList<>();
    List<String> log = List.of("[env-1] START RequestId: 1", "[env-1] END RequestId: 1");
    SyncReport report;
    RuntimeException syncFailure;
    int syncCalls;

    @Override
    public StackInfo stack() {
        return new StackInfo(model.stackName(), "running", "http://127.0.0.1:4566", ConsoleRecorderTest.T0.minusSeconds(90));
    }

    @Override
    public List<MappingInfo> mappings() {
        List<MappingInfo> out = new ArrayList<>();
        for (EsmSpec m : model.mappings()) {
            out.add(new MappingInfo(m, io.pushcqrs.local.dynamodb.DynamoDbInputRules.tableName(m.streamArn()),
                    new StreamPoller.Status(state, state == StreamPoller.State.STUCK ? "shard s: GetRecords failed" : null,
                            null, 0, iteratorAgeMs), new StreamPoller.Stats(3, 10, 1, 1)));
        }
        return out;
    }

    @Override
    public Lag lag(EsmSpec mapping) {
        return lag;
    }

    @Override
    public List<FunctionInfo> functions() {
        return model.functions().stream().map(f -> new FunctionInfo(f, true, 1, 4)).toList();
    }

    @Override
    public List<String> logTail(String function, int lines) {
        return log;
    }

    @Override
    public List<TableInfo> tables() {
        return tables;
    }

    @Override
    public List<QueueInfo> queues(int maxMessages) {
        return queues;
    }

    @Override
    public List<RestApiModel> apis() {
        return model.apis();
    }

    @Override
    public SyncReport checkSync(int examples) {
        syncCalls++;
        if (syncFailure != null) {
            throw syncFailure;
        }
        return report != null ? report : inSync();
    }

    static SyncReport inSync() {
        return new SyncReport("c", "n", 3, 3, 3, new Category("missing", 5), new Category("stale", 5),
                new Category("orphan", 5), new Category("unmappable", 5), 0, 0, Duration.ofMillis(12));
    }

    static SyncReport outOfSync() {
        Category missing = new Category("missing", 5);
        missing.add();
        missing.add();
        Category unmappable = new Category("unmappable", 5);
        unmappable.add();
        return new SyncReport("c", "n", 5, 2, 2, missing, new Category("stale", 5), new Category("orphan", 5),
                unmappable, 0, 1, Duration.ofMillis(30));
    }

    static QueueInfo dlq(int depth, QueueMessage... messages) {
        return new QueueInfo("dlq", "http://127.0.0.1:4566/000000000000/dlq", (long) depth, 0L, List.of(messages), null);
    }

    static QueueMessage message(String start, String end) {
        return new QueueMessage("m-1", Instant.parse("2026-12-02T09:59:00Z"), 1, "shardId-1", start, end, 1,
                "RetryAttemptsExhausted", "Unhandled", 4, null, null);
    }

    static Map<String, Object> unused() {
        return Map.of();
    }
}
