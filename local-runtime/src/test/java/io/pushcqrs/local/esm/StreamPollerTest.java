package io.pushcqrs.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.esm.EsmTestSupport.Call;
import io.pushcqrs.local.esm.EsmTestSupport.FakeInvoker;
import io.pushcqrs.local.esm.EsmTestSupport.Log;
import io.pushcqrs.local.esm.EsmTestSupport.MovableClock;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The poller against moto's DynamoDB, DynamoDB Streams and SQS, with a fake function. */
class StreamPollerTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String FN_ARN = "arn:aws:lambda:us-east-1:000000000000:function:projector";
    static final AtomicInteger TABLES = new AtomicInteger();

    static MotoServer moto;
    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;
    static SqsClient sqs;

    @TempDir
    Path dir;

    final Log log = new Log();
    final FakeInvoker fn = new FakeInvoker();
    final List<StreamPoller> pollers = new ArrayList<>();
    String table;
    String streamArn;

    @BeforeAll
    static void clients() {
        moto = MotoServer.shared();
        ddb = LocalAws.dynamoDb(moto.endpoint());
        streams = DynamoDbStreamsClient.builder().endpointOverride(moto.endpoint()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void closeClients() {
        ddb.close();
        streams.close();
        sqs.close();
    }

    @AfterEach
    void stopPollers() {
        pollers.forEach(StreamPoller::close);
    }

    void newTable() {
        table = "esm-" + TABLES.incrementAndGet() + "-" + System.nanoTime();
        streamArn = ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()))
                .tableDescription().latestStreamArn();
    }

    void put(String... ids) {
        for (String id : ids) {
            ddb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id), "n", AttributeValue.fromN("1"))));
        }
    }

    /** Writes the items in one BatchWriteItem, so that their stream records arrive together. */
    void putTogether(String... ids) {
        List<WriteRequest> writes = new ArrayList<>();
        for (String id : ids) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(Map.of("id", AttributeValue.fromS(id), "n", AttributeValue.fromN("1"))).build()).build());
        }
        ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
    }

    static String[] ids(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    /** A queue in moto: [url, arn]. */
    static String[] queue(String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new String[]{url, arn};
    }

    static List<JsonNode> drain(String url, List<JsonNode> into) {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages()) {
            try {
                into.add(StreamEventFactory.JSON.readTree(m.body()));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + m.body(), e);
            }
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
        return into;
    }

    EsmSpec spec(String uuid, String start, int batch, int window, boolean bisect, int retries, int maxAge, boolean items,
                 String onFailure) {
        return new EsmSpec(uuid, "projector", FN_ARN, streamArn, start, batch, window, bisect, retries, maxAge, items, onFailure, true);
    }

    StreamPoller start(EsmSpec spec, CheckpointStore store, Clock clock) {
        StreamPoller p = new StreamPoller(spec, streams, sqs, fn, store, EsmTestSupport.fastOptions(log, clock));
        pollers.add(p);
        p.start();
        return p;
    }

    StreamPoller start(EsmSpec spec) {
        return start(spec, new CheckpointStore(dir), Clock.systemUTC());
    }

    String shardId() {
        return streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void deliversEveryRecordOnceInOrderInBatchesOfAtMostBatchSize() {
        newTable();
        put(ids("a", 1, 7));
        StreamPoller p = start(spec("happy", "TRIM_HORIZON", 3, 0, false, 2, -1, true, null));
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 7);
        put(ids("a", 8, 10));
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().size() >= 10);

        assertThat(fn.deliveredIds()).containsExactly(ids("a", 1, 10));
        assertThat(fn.calls).allSatisfy(c -> assertThat(c.ids()).hasSizeBetween(1, 3));
        assertThat(fn.calls.get(0).ids()).containsExactly("a1", "a2", "a3");
        assertThat(fn.calls).allSatisfy(c -> assertThat(c.function()).isEqualTo("projector"));
        Call last = fn.calls.get(fn.calls.size() - 1);
        String lastSeq = last.seqs().get(last.seqs().size() - 1);
        // a batch's records are counted once its checkpoint is written
        await().atMost(DEADLINE).until(() -> p.stats().recordsSucceeded() == 10);
        assertThat(new CheckpointStore(dir).sequenceNumber("happy", shardId())).contains(lastSeq);
        JsonNode record = fn.calls.get(0).event().get("Records").get(0);
        assertThat(record.get("eventName").asText()).isEqualTo("INSERT");
        assertThat(record.get("eventSourceARN").asText()).isEqualTo(streamArn);
        assertThat(record.at("/dynamodb/NewImage/n/N").asText()).isEqualTo("1");
        assertThat(p.stats().recordsDiscarded()).isZero();
        assertThat(log.contains("records=3 seq=")).isTrue();
        assertThat(log.contains("-> OK")).isTrue();
    }

    @Test
    void aPartialBatchWaitsForTheBatchingWindow() {
        newTable();
        start(spec("window", "TRIM_HORIZON", 3, 3, false, 0, -1, false, null));
        long t0 = System.nanoTime();
        putTogether("w1", "w2");
        await().atMost(DEADLINE).until(() -> fn.calls.size() >= 1);
        Call windowed = fn.calls.get(0);
        assertThat(windowed.ids()).containsExactly("w1", "w2");
        // a lower bound only: a busy machine makes it later, never earlier
        assertThat(Duration.ofNanos(windowed.atNanos() - t0)).as("waited for the 3 s window")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aFullBatchDoesNotWaitForTheWindow() {
        newTable();
        // a 300 s window: the batch can only arrive within the test's deadline because it is full
        start(spec("full", "TRIM_HORIZON", 3, 300, false, 0, -1, false, null));
        putTogether("f1", "f2", "f3");
        await().atMost(DEADLINE).until(() -> fn.calls.size() >= 1);
        assertThat(fn.calls.get(0).ids()).containsExactly("f1", "f2", "f3");
    }

    @Test
    void aPartialFailureCheckpointsBeforeTheLowestFailedRecordAndRetriesFromIt() {
        newTable();
        put(ids("p", 1, 5));
        CheckpointStore store = new CheckpointStore(dir);
        List<String> checkpointAtCall = new CopyOnWriteArrayList<>();
        fn.script = c -> {
            checkpointAtCall.add(store.sequenceNumber("partial", shardId()).orElse("none"));
            return c.n() == 1 ? EsmTestSupport.partial(c.seqs().get(4), c.seqs().get(2)) : EsmTestSupport.ok();
        };
        StreamPoller p = start(spec("partial", "TRIM_HORIZON", 5, 0, true, 3, -1, true, null), store, Clock.systemUTC());
        await().atMost(DEADLINE).until(() -> p.stats().recordsSucceeded() == 5);

        assertThat(fn.batches()).containsExactly(List.of("p1", "p2", "p3", "p4", "p5"), List.of("p3", "p4", "p5"));
        assertThat(checkpointAtCall.get(0)).isEqualTo("none");
        assertThat(checkpointAtCall.get(1)).as("p1 and p2 are done").isEqualTo(fn.calls.get(0).seqs().get(1));
        assertThat(log.contains("PARTIAL FAILURE: 2 item failure(s) reported, first " + fn.calls.get(0).seqs().get(2))).isTrue();
    }

    @Test
    void aPartialFailureThatKeepsFailingIsSentToTheOnFailureQueueFromTheFailedRecord() {
        newTable();
        String[] q = queue("esm-partial-dlq-" + System.nanoTime());
        put(ids("r", 1, 3));
        fn.script = c -> c.ids().contains("r2") ? EsmTestSupport.partial(c.seqs().get(c.ids().indexOf("r2")))
                : EsmTestSupport.ok();
        start(spec("partial-dlq", "TRIM_HORIZON", 10, 0, false, 1, -1, true, q[1]));
        List<JsonNode> messages = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> drain(q[0], messages).size() >= 1);

        // [r1 r2 r3] -> r1 done; [r2 r3] fails again: 1 retry used up -> discarded from r2
        assertThat(fn.batches()).containsExactly(List.of("r1", "r2", "r3"), List.of("r2", "r3"));
        JsonNode m = messages.get(0);
        assertThat(m.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(fn.calls.get(0).seqs().get(1));
        assertThat(m.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(fn.calls.get(0).seqs().get(2));
        assertThat(m.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(m.at("/responseContext/functionError").isNull()).isTrue();
    }

    @Test
    void bisectsABatchOnFunctionErrorUntilThePoisonRecordIsAloneThenRetriesIt() {
        newTable();
        String[] q = queue("esm-bisect-dlq-" + System.nanoTime());
        put(ids("b", 1, 4));
        fn.script = c -> c.ids().contains("b3") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        StreamPoller p = start(spec("bisect", "TRIM_HORIZON", 4, 0, true, 1, -1, false, q[1]));
        List<JsonNode> messages = new ArrayList<>();
        // b4 was in the first batch already: wait for what comes last, b4's own batch checkpointed after b3's discard
        await().atMost(DEADLINE).until(() -> drain(q[0], messages).size() >= 1 && p.stats().recordsSucceeded() == 3
                && p.stats().recordsDiscarded() == 1);

        assertThat(fn.batches()).containsExactly(
                List.of("b1", "b2", "b3", "b4"),
                List.of("b1", "b2"),
                List.of("b3", "b4"),
                List.of("b3"),
                List.of("b3"),
                List.of("b4"));
        JsonNode m = messages.get(0);
        String b3 = fn.calls.get(3).seqs().get(0);
        assertThat(m.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(b3);
        assertThat(m.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(b3);
        assertThat(m.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(4);
        assertThat(m.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
    }

    @Test
    void whenRetriesAreExhaustedOneAwsShapedMessageGoesToTheQueueAndTheRecordsBehindAreProcessed() {
        newTable();
        String[] q = queue("esm-dlq-" + System.nanoTime());
        put(ids("x", 1, 3));
        fn.script = c -> c.ids().contains("x2") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        StreamPoller p = start(spec("exhausted", "TRIM_HORIZON", 10, 0, false, 2, -1, false, q[1]));
        List<JsonNode> messages = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> drain(q[0], messages).size() >= 1);
        put("x4", "x5");
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("x5"));

        assertThat(fn.batches().subList(0, 3)).containsExactly(List.of("x1", "x2", "x3"), List.of("x1", "x2", "x3"),
                List.of("x1", "x2", "x3"));
        assertThat(fn.deliveredIds().subList(9, fn.deliveredIds().size())).containsExactly("x4", "x5");
        assertThat(drain(q[0], messages)).hasSize(1);
        JsonNode m = messages.get(0);
        assertThat(m.at("/requestContext/requestId").asText()).isNotBlank();
        assertThat(m.at("/requestContext/functionArn").asText()).isEqualTo(FN_ARN);
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(m.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(m.at("/responseContext/executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(m.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(m.get("version").asText()).isEqualTo("1.0");
        assertThat(m.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode info = m.get("DDBStreamBatchInfo");
        assertThat(info.get("shardId").asText()).isEqualTo(shardId());
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(fn.calls.get(0).seqs().get(0));
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(fn.calls.get(0).seqs().get(2));
        assertThat(info.get("approximateArrivalOfFirstRecord").asText()).endsWith("Z");
        assertThat(info.get("approximateArrivalOfLastRecord").asText()).endsWith("Z");
        assertThat(info.get("batchSize").asInt()).isEqualTo(3);
        assertThat(info.get("streamArn").asText()).isEqualTo(streamArn);
        assertThat(p.stats().onFailureMessages()).isEqualTo(1);
        assertThat(log.contains("DISCARDED 3 record(s)")).isTrue();
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreNotSentButGoToTheQueue() {
        newTable();
        String[] q = queue("esm-age-" + System.nanoTime());
        MovableClock clock = new MovableClock();
        clock.offset = Duration.ofSeconds(120);
        put(ids("o", 1, 3));
        StreamPoller p = start(spec("age", "TRIM_HORIZON", 10, 0, false, 3, 60, false, q[1]), new CheckpointStore(dir), clock);
        List<JsonNode> messages = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> drain(q[0], messages).size() >= 1);
        clock.offset = Duration.ZERO;
        put("o4");
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("o4"));

        assertThat(fn.deliveredIds()).containsExactly("o4");
        JsonNode m = messages.get(0);
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isZero();
        assertThat(m.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(3);
        assertThat(p.stats().recordsDiscarded()).isEqualTo(3);
    }

    @Test
    void unboundedRetriesLastUntilTheRecordsAreTooOld() {
        newTable();
        String[] q = queue("esm-unbounded-" + System.nanoTime());
        MovableClock clock = new MovableClock();
        fn.script = c -> c.ids().contains("u1") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        put("u1");
        start(spec("unbounded", "TRIM_HORIZON", 10, 0, false, -1, 60, false, q[1]), new CheckpointStore(dir), clock);
        await().atMost(DEADLINE).until(() -> fn.calls.size() >= 5);
        clock.offset = Duration.ofSeconds(120);
        List<JsonNode> messages = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> drain(q[0], messages).size() >= 1);
        int invokes = fn.calls.size();
        clock.offset = Duration.ZERO;
        put("u2");
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("u2"));

        JsonNode m = messages.get(0);
        assertThat(m.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(m.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(invokes);
        assertThat(m.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(fn.calls.get(fn.calls.size() - 1).ids()).containsExactly("u2");
    }

    @Test
    void aRestartedPollerResumesAfterTheCheckpointAndResendsOnlyTheBatchInFlight() {
        newTable();
        put(ids("c", 1, 6));
        CheckpointStore store = new CheckpointStore(dir);
        // first run: batch 1 succeeds, batch 2 keeps failing (unbounded retries) until the poller is closed
        fn.script = c -> c.ids().contains("c3") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        StreamPoller first = start(spec("resume", "TRIM_HORIZON", 2, 0, false, -1, -1, false, null), store, Clock.systemUTC());
        await().atMost(DEADLINE).until(() -> fn.calls.size() >= 3);
        first.close();
        assertThat(first.isRunning()).isFalse();
        List<List<String>> firstRun = fn.batches();
        assertThat(firstRun.get(0)).containsExactly("c1", "c2");
        assertThat(firstRun.subList(1, firstRun.size())).allSatisfy(b -> assertThat(b).containsExactly("c3", "c4"));
        String c2 = fn.calls.get(0).seqs().get(1);
        assertThat(new CheckpointStore(dir).sequenceNumber("resume", shardId())).contains(c2);

        // second run (a new store, as after a restart of the runtime): c3..c6 and the new ones, c1/c2 never again
        put("c7");
        FakeInvoker fn2 = new FakeInvoker();
        StreamPoller second = new StreamPoller(spec("resume", "TRIM_HORIZON", 2, 0, false, -1, -1, false, null), streams, sqs,
                fn2, new CheckpointStore(dir), EsmTestSupport.fastOptions(log, Clock.systemUTC()));
        pollers.add(second);
        second.start();
        await().atMost(DEADLINE).until(() -> fn2.deliveredIds().size() >= 5);
        second.close();
        assertThat(fn2.deliveredIds()).containsExactly("c3", "c4", "c5", "c6", "c7");

        // third run: nothing new, nothing sent
        FakeInvoker fn3 = new FakeInvoker();
        StreamPoller third = new StreamPoller(spec("resume", "TRIM_HORIZON", 2, 0, false, -1, -1, false, null), streams, sqs,
                fn3, new CheckpointStore(dir), EsmTestSupport.fastOptions(log, Clock.systemUTC()));
        pollers.add(third);
        third.start();
        put("c8");
        await().atMost(DEADLINE).until(() -> fn3.deliveredIds().size() >= 1);
        assertThat(fn3.deliveredIds()).containsExactly("c8");
    }

    @Test
    void withoutAnOnFailureDestinationADiscardedBatchIsLoggedAndSkipped() {
        newTable();
        put("s1", "s2");
        fn.script = c -> c.ids().contains("s1") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        StreamPoller p = start(spec("skip", "TRIM_HORIZON", 1, 0, false, 0, -1, false, null));
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("s2"));
        assertThat(fn.batches()).containsExactly(List.of("s1"), List.of("s2"));
        assertThat(log.contains("DISCARDED 1 record(s)")).isTrue();
        assertThat(log.contains("no on-failure destination, skipped")).isTrue();
        assertThat(p.stats().recordsDiscarded()).isEqualTo(1);
        assertThat(p.stats().onFailureMessages()).isZero();
    }

    @Test
    void whenTheOnFailureQueueIsMissingTheMessageIsLoggedAndTheStreamGoesOn() {
        newTable();
        put("m1", "m2");
        fn.script = c -> c.ids().contains("m1") ? EsmTestSupport.fail() : EsmTestSupport.ok();
        start(spec("noqueue", "TRIM_HORIZON", 1, 0, false, 0, -1, false,
                "arn:aws:sqs:us-east-1:123456789012:no-such-queue-" + System.nanoTime()));
        await().atMost(DEADLINE).until(() -> fn.deliveredIds().contains("m2"));
        assertThat(log.contains("the on-failure queue did not take it; the message was: {\"requestContext\"")).isTrue();
    }

    @Test
    void invocationsThatNeverReachedTheFunctionAreRetriedWithoutCountingAsRetries() {
        newTable();
        put("t1");
        AtomicInteger n = new AtomicInteger();
        fn.script = c -> switch (n.incrementAndGet()) {
            case 1 -> new InvokeResult(429, "{\"message\":\"Rate exceeded\"}".getBytes(), null, "r", 1);
            case 2 -> throw new IllegalStateException("connection refused");
            default -> EsmTestSupport.ok();
        };
        StreamPoller p = start(spec("throttled", "TRIM_HORIZON", 10, 0, false, 0, -1, false, null));
        await().atMost(DEADLINE).until(() -> p.stats().recordsSucceeded() == 1);
        assertThat(fn.batches()).containsExactly(List.of("t1"), List.of("t1"), List.of("t1"));
        assertThat(p.stats().recordsDiscarded()).isZero();
        assertThat(log.contains("NOT DELIVERED: invoke answered 429")).isTrue();
        assertThat(log.contains("NOT DELIVERED: invoke failed: java.lang.IllegalStateException: connection refused")).isTrue();
    }

    /**
     * A stream record the SDK cannot parse: GetRecords fails for good at that point. (moto's own serializer used to
     * produce one from a map with an empty key, which DynamoDB refuses; the stack's moto now writes read answers
     * as they are stored, so an interceptor corrupts one attribute of one record in GetRecords' answer instead.)
     * The poller cannot skip what it cannot read, so it says so: one log line, the STUCK state with the reason, and a
     * lag that grows.
     */
    @Test
    void aStreamRecordTheSdkCannotParseStopsTheShardAndThePollerSaysSoOnce() {
        newTable();
        put("g1");
        ddb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("bad"),
                "payload", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("unparseable"))))));
        put("g2");
        // {"S": "unparseable"} becomes the bare string "unparseable": not an AttributeValue
        ExecutionInterceptor corrupt = new ExecutionInterceptor() {
            @Override
            public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                    ExecutionAttributes attributes) {
                return context.responseBody().map(body -> {
                    try (body) {
                        String json = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                        String bad = json.replaceAll("\\{\\s*\"S\"\\s*:\\s*\"unparseable\"\\s*}", "\"unparseable\"");
                        return new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        };
        DynamoDbStreamsClient corrupting = DynamoDbStreamsClient.builder().endpointOverride(moto.endpoint())
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(corrupt)).build();
        // the reproduction: the SDK cannot read this shard past the bad record
        String iterator = corrupting.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThatThrownBy(() -> corrupting.getRecords(b -> b.shardIterator(iterator)))
                .isInstanceOf(SdkClientException.class);

        StreamPoller p = new StreamPoller(spec("unreadable", "TRIM_HORIZON", 10, 0, false, 0, -1, false, null),
                corrupting, sqs, fn, new CheckpointStore(dir), EsmTestSupport.fastOptions(log, Clock.systemUTC()));
        pollers.add(p);
        p.start();
        await().atMost(DEADLINE).until(() -> p.status().state() == StreamPoller.State.STUCK);
        StreamPoller.Status status = p.status();
        assertThat(status.problem()).contains("GetRecords").contains(shardId());
        assertThat(status.stuckSince()).isNotNull();
        long lag = status.iteratorAgeMs();
        await().atMost(DEADLINE).until(() -> p.status().iteratorAgeMs() > lag);
        // it keeps trying (a fixed backend would let it go on), but says it once
        int failures = p.status().failedReads();
        await().atMost(DEADLINE).until(() -> p.status().failedReads() >= failures + 2);
        assertThat(log.count("CANNOT MAKE PROGRESS")).isEqualTo(1);
        assertThat(log.count("taking a new iterator")).as("the first failure, said once").isEqualTo(1);
        assertThat(fn.deliveredIds()).doesNotContain("g2");
    }

    /**
     * ParallelizationFactor 3: batches of different partition keys run at the same time, each key's records arrive in
     * their stream order, and a key whose batch keeps failing holds the checkpoint back without holding the others: after
     * a restart it is delivered again, nothing is lost.
     */
    @Test
    void withAParallelizationFactorKeysRunConcurrentlyInOrderPerKeyAndTheCheckpointLosesNothing() throws Exception {
        newTable();
        // keys in three different lanes, so that three batches can run at once
        List<String> keys = new ArrayList<>();
        java.util.Set<Integer> lanesUsed = new java.util.HashSet<>();
        for (int i = 0; keys.size() < 3; i++) {
            String k = "k" + i;
            if (lanesUsed.add(io.pushcqrs.local.esm.rules.Parallelization.lane("{\"S\":\"" + k + "\"}", 3))) {
                keys.add(k);
            }
        }
        String slow = keys.get(0);
        // 4 versions of each key, interleaved in the stream
        for (int v = 1; v <= 4; v++) {
            for (String k : keys) {
                int version = v;
                ddb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(k), "n", AttributeValue.fromN(
                        Integer.toString(version)))));
            }
        }
        java.util.concurrent.CountDownLatch othersRan = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean slowFails = new java.util.concurrent.atomic.AtomicBoolean(true);
        fn.script = c -> {
            if (c.ids().contains(slow)) {
                // the slow key's batch waits until another lane's batch has run: they overlap, then it keeps failing
                try {
                    overlapped.compareAndSet(false, othersRan.await(20, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return slowFails.get() ? EsmTestSupport.fail() : EsmTestSupport.ok();
            }
            othersRan.countDown();
            return EsmTestSupport.ok();
        };
        EsmSpec spec = new EsmSpec("parallel", "projector", FN_ARN, streamArn, "TRIM_HORIZON", 2, 0, false, -1, -1, false, null,
                true, 3);
        CheckpointStore store = new CheckpointStore(dir);
        StreamPoller p = start(spec, store, Clock.systemUTC());
        // the other keys are all delivered while the slow key is still failing
        // (and the slow batch, woken by the first of them, has said so: it may run after the others are done)
        await().atMost(DEADLINE).until(() -> overlapped.get() && keys.subList(1, 3).stream().allMatch(k -> fn.deliveredIds()
                .stream().filter(k::equals).count() >= 4));
        Map<String, List<String>> seqsByKey = new java.util.HashMap<>();
        for (Call c : fn.calls) {
            for (int i = 0; i < c.ids().size(); i++) {
                seqsByKey.computeIfAbsent(c.ids().get(i), k -> new ArrayList<>()).add(c.seqs().get(i));
            }
        }
        for (String k : keys.subList(1, 3)) {
            List<String> seqs = seqsByKey.get(k);
            assertThat(seqs).as("the records of %s, in stream order", k).hasSize(4)
                    .isSortedAccordingTo(java.util.Comparator.comparing(java.math.BigInteger::new));
        }
        // the checkpoint has not passed the slow key's first record
        String slowFirst = seqsByKey.get(slow).get(0);
        String checkpoint = store.sequenceNumber("parallel", shardId()).orElse("0");
        assertThat(new java.math.BigInteger(checkpoint)).isLessThan(new java.math.BigInteger(slowFirst));
        p.close();

        // a restart, with the slow key fixed: its records come, in order, and nothing of the others is missing
        slowFails.set(false);
        FakeInvoker fn2 = new FakeInvoker();
        StreamPoller second = new StreamPoller(spec, streams, sqs, fn2, new CheckpointStore(dir), EsmTestSupport.fastOptions(log,
                Clock.systemUTC()));
        pollers.add(second);
        second.start();
        await().atMost(DEADLINE).until(() -> fn2.deliveredIds().stream().filter(slow::equals).count() >= 4);
        List<String> slowSeqs = new ArrayList<>();
        for (Call c : fn2.calls) {
            for (int i = 0; i < c.ids().size(); i++) {
                if (c.ids().get(i).equals(slow)) {
                    slowSeqs.add(c.seqs().get(i));
                }
            }
        }
        assertThat(slowSeqs).hasSize(4).isSortedAccordingTo(java.util.Comparator.comparing(java.math.BigInteger::new));
        await().atMost(DEADLINE).until(() -> second.stats().recordsSucceeded() >= 4);
        await().atMost(DEADLINE).until(() -> new java.math.BigInteger(new CheckpointStore(dir).sequenceNumber("parallel",
                shardId()).orElse("0")).compareTo(new java.math.BigInteger(slowSeqs.get(3))) >= 0);
        assertThat(log.contains("parallelization 3")).isTrue();
    }

    @Test
    void latestSkipsWhatIsAlreadyInTheStream() {
        newTable();
        put("l1", "l2");
        start(spec("latest", "LATEST", 10, 0, false, 0, -1, false, null));
        AtomicInteger n = new AtomicInteger();
        // writes until the reader (which takes its LATEST iterator in the background) sees one
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            put("late" + n.incrementAndGet());
            return !fn.calls.isEmpty();
        });
        assertThat(fn.deliveredIds()).isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("late"));
    }
}
