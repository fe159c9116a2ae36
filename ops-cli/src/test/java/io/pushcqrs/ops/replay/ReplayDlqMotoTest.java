package io.pushcqrs.ops.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Fixtures;
import io.pushcqrs.ops.MotoTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** replay-dlq against moto: both kinds of on-failure message, still-failing ones kept, idempotent, dry run. */
class ReplayDlqMotoTest {
    static final AtomicInteger QUEUES = new AtomicInteger();
    final MotoTables t = new MotoTables("replay");
    final URI endpoint = URI.create(t.endpoint);
    final SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
            .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    final String queue = sqs.createQueue(b -> b.queueName("replay-" + QUEUES.incrementAndGet() + "-"
            + ProcessHandle.current().pid() + "-stream-processor-dlq")).queueUrl();

    @AfterEach
    void close() {
        sqs.deleteQueue(b -> b.queueUrl(queue));
        sqs.close();
    }

    Cli.Result replay(String... more) {
        List<String> args = new ArrayList<>(List.of(t.args("replay-dlq", "--queue-url", queue)));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        System.out.println("[replay-dlq " + String.join(" ", more) + "] " + r);
        return r;
    }

    /** The stream processor's poison message for the record seq of (tx, createdAt). */
    void poisonMessage(String tx, long createdAt, String seq, String eventName) {
        String body = "{\"requestContext\":{\"requestId\":\"r\",\"functionArn\":\"arn:aws:lambda:us-east-1:1:function:sp\","
                + "\"condition\":\"PoisonRecord\",\"approximateInvokeCount\":1},\"version\":\"1.0\","
                + "\"timestamp\":\"2026-12-02T10:00:00.000Z\",\"DDBStreamBatchInfo\":{\"shardId\":null,"
                + "\"startSequenceNumber\":\"" + seq + "\",\"endSequenceNumber\":\"" + seq + "\",\"batchSize\":1,"
                + "\"streamArn\":\"arn\"},\"poisonRecord\":{\"eventID\":\"e\",\"eventName\":\"" + eventName + "\","
                + "\"sequenceNumber\":\"" + seq + "\",\"keys\":{\"transaction_id\":{\"S\":\"" + tx + "\"},"
                + "\"created_at\":{\"N\":\"" + createdAt + "\"}},\"reason\":\"mapping error\"}}";
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }

    int queued() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings().values().stream().mapToInt(Integer::parseInt).sum() + "");
    }

    Map<String, AttributeValue> view(String user, long createdAt, String tx) {
        Map<String, AttributeValue> item = t.ddb.getItem(b -> b.tableName(t.notificationTable).consistentRead(true)
                .key(NotificationMapper.viewKey(user, createdAt, tx))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Test
    void aPoisonRecordStaysFailingUntilItsCommandIsFixedThenIsReplayedOnce() {
        Notification good = Fixtures.command("tx-p", 1000, "u-p", 1L);
        t.putCommand(Fixtures.with(Fixtures.commandItem(good), Attr.PLATFORM, AttributeValue.fromS("ios")));
        poisonMessage("tx-p", 1000, "500", "INSERT");

        Cli.Result first = replay();
        assertThat(first.code()).as(first.toString()).isEqualTo(1);
        assertThat(first.out()).containsPattern("still failing +1\\n").contains("the command still cannot be projected")
                .contains("platform");
        assertThat(queued()).as("kept").isEqualTo(1);
        assertThat(view("u-p", 1000, "tx-p")).isNull();

        // the operator fixes the item with a tool that does not go through the stream processor's view (say the
        // stream's MODIFY is still behind): replay projects it with the failed record's sequence number
        t.putCommand(good);
        Cli.Result second = replay();
        assertThat(second.code()).as(second.toString()).isEqualTo(0);
        assertThat(second.out()).containsPattern("replayed +1\\n").containsPattern("messages deleted +1\\n");
        assertThat(view("u-p", 1000, "tx-p")).isEqualTo(NotificationMapper.toViewItem(NotificationView.of(good),
                ViewKeys.padSequence("500")));
        assertThat(queued()).isZero();

        Cli.Result third = replay();
        assertThat(third.code()).isEqualTo(0);
        assertThat(third.out()).containsPattern("messages read +0\\n");
    }

    @Test
    void aNewerProjectionIsNeverOverwrittenAndCountsAsAlreadyCurrent() throws Exception {
        Notification cmd = Fixtures.command("tx-c", 1000, "u-c", 2L);
        t.putCommand(cmd);
        Map<String, AttributeValue> newer = Fixtures.streamView(cmd.toBuilder().status(Status.DELIVERED).build(), 900);
        t.putView(newer);
        poisonMessage("tx-c", 1000, "500", "MODIFY");

        Cli.Result r = replay("--json");

        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        JsonNode json = Json.MAPPER.readTree(r.out().trim().isEmpty() ? "{}" : r.out());
        assertThat(json.path("already_current").asInt()).isEqualTo(1);
        assertThat(json.path("replayed").asInt()).isZero();
        assertThat(json.path("deleted").asInt()).isEqualTo(1);
        assertThat(view("u-c", 1000, "tx-c")).isEqualTo(newer);
    }

    @Test
    void aCommandGoneSinceLeavesTombstonesAndAMovedOneLosesItsOldView() {
        // tx-g: deleted from command-records, its view still live
        t.putView(Fixtures.streamView(Fixtures.command("tx-g", 1000, "u-g", 1L), 100));
        poisonMessage("tx-g", 1000, "500", "REMOVE");
        // tx-m: now at u-new, its view still at u-old
        Notification moved = Fixtures.command("tx-m", 2000, "u-new", 2L);
        t.putCommand(moved);
        t.putView(Fixtures.streamView(moved.toBuilder().userId("u-old").version(1L).build(), 100));
        poisonMessage("tx-m", 2000, "600", "MODIFY");

        Cli.Result r = replay();

        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).containsPattern("replayed +2\\n");
        assertThat(Tombstones.isTombstone(view("u-g", 1000, "tx-g"))).isTrue();
        assertThat(view("u-g", 1000, "tx-g").get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence("500"));
        assertThat(Tombstones.isTombstone(view("u-old", 2000, "tx-m"))).isTrue();
        assertThat(view("u-new", 2000, "tx-m").get(Attr.STATUS).s()).isEqualTo("SENT");
        assertThat(queued()).isZero();
    }

    @Test
    void aMappingsMessageIsReplayedFromTheStreamRecordsItNames() {
        Notification a = Fixtures.command("tx-s1", 1000, "u-s", 1L);
        Notification b = Fixtures.command("tx-s2", 1001, "u-s", 1L);
        t.putCommand(a);
        t.putCommand(b);
        t.putCommand(b.toBuilder().status(Status.FAILED).failedTs(1500L).version(2L).build());
        String streamArn = t.ddb.describeTable(d -> d.tableName(t.commandTable)).table().latestStreamArn();
        List<Record> records = new ArrayList<>();
        String shardId;
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint)
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            Shard shard = streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards().get(0);
            shardId = shard.shardId();
            String it = streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            records.addAll(streams.getRecords(g -> g.shardIterator(it)).records());
        }
        assertThat(records).hasSize(3);
        String body = "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":3},"
                + "\"version\":\"1.0\",\"DDBStreamBatchInfo\":{\"shardId\":\"" + shardId + "\",\"startSequenceNumber\":\""
                + records.get(0).dynamodb().sequenceNumber() + "\",\"endSequenceNumber\":\""
                + records.get(2).dynamodb().sequenceNumber() + "\",\"batchSize\":3,\"streamArn\":\"" + streamArn + "\"}}";
        sqs.sendMessage(m -> m.queueUrl(queue).messageBody(body));

        Cli.Result dry = replay("--dry-run");
        assertThat(dry.code()).as(dry.toString()).isEqualTo(0);
        assertThat(dry.out()).contains("dry run").containsPattern("would be replayed +2\\n").containsPattern("messages kept +1\\n");
        assertThat(t.scan(t.notificationTable)).isEmpty();
        assertThat(queued()).as("kept, and visible again at once").isEqualTo(1);

        Cli.Result r = replay();
        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).containsPattern("replayed +2\\n");
        assertThat(view("u-s", 1000, "tx-s1").get(Attr.SOURCE_SEQ).s())
                .isEqualTo(ViewKeys.padSequence(records.get(0).dynamodb().sequenceNumber()));
        assertThat(view("u-s", 1001, "tx-s2").get(Attr.STATUS).s()).isEqualTo("FAILED");
        assertThat(view("u-s", 1001, "tx-s2").get(Attr.SOURCE_SEQ).s())
                .isEqualTo(ViewKeys.padSequence(records.get(2).dynamodb().sequenceNumber()));
        assertThat(queued()).isZero();
    }

    @Test
    void aMessageThatIsNoOnFailureMessageIsKeptAndReported() {
        sqs.sendMessage(m -> m.queueUrl(queue).messageBody("hello"));
        sqs.sendMessage(m -> m.queueUrl(queue).messageBody("{\"something\":\"else\"}"));

        Cli.Result r = replay();

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).containsPattern("still failing +2\\n").contains("not JSON")
                .contains("not an on-failure message of the stream");
        assertThat(queued()).isEqualTo(2);
    }

    @Test
    void withoutAQueueItSaysWhatToPass() {
        Cli.Result r = Cli.run(t.args("replay-dlq", "--outputs", "/nonexistent/outputs.json"));
        assertThat(r.code()).isEqualTo(2);
    }
}
