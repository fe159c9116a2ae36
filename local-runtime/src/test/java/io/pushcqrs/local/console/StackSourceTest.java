package io.pushcqrs.local.console;

import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.OnFailureMessage;
import io.pushcqrs.local.moto.MotoClients;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.sync.SyncReport;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console's reads of a running stack, against moto: the stream behind a checkpoint, tables, the DLQ, check-sync. */
class StackSourceTest {
    static MotoServer moto;
    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;
    static SqsClient sqs;
    static final String RUN = "console-" + Long.toString(System.nanoTime(), 36);

    @TempDir
    Path dir;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.shared();
        ddb = MotoClients.dynamoDb(moto.endpoint());
        streams = MotoClients.streams(moto.endpoint());
        sqs = MotoClients.sqs(moto.endpoint());
    }

    @AfterAll
    static void close() {
        ddb.close();
        streams.close();
        sqs.close();
    }

    StackSource source(StackModel model, CheckpointStore checkpoints, Map<String, String> outputs) {
        return new StackSource(new StackSource.Parts(
                () -> new ConsoleSource.StackInfo("s", "running", "http://127.0.0.1:1", Instant.now()),
                () -> model, List::of, () -> null, 4, () -> outputs, ddb, streams, sqs, checkpoints));
    }

    static StackModel model(List<StackModel.Table> tables, List<StackModel.Queue> queues, List<EsmSpec> mappings) {
        return new StackModel("s", tables, queues, List.of(), mappings, List.of(), Map.of(), Map.of(), List.of());
    }

    static EsmSpec mapping(String uuid, String streamArn, String start, boolean enabled) {
        return new EsmSpec(uuid, "fn", "arn:aws:lambda:us-east-1:000000000000:function:fn", streamArn, start, 100, 0,
                true, 3, 3600, true, null, enabled);
    }

    static Notification command(String tx, long createdAt) {
        return Notification.builder().transactionId(tx).createdAt(createdAt).userId("u-" + tx).platform(Platform.IOS)
                .deviceToken("t").status(Status.SENT).version(1L).build();
    }

    @Test
    void lagIsTheRecordsAfterTheCheckpointAndZeroOnceTheCheckpointIsAtTheEnd() {
        String table = RUN + "-lag";
        String streamArn = Tables.createCommandTable(ddb, table);
        for (int i = 0; i < 3; i++) {
            ddb.putItem(b -> b.tableName(table).item(NotificationMapper.toCommandItem(command("tx-" + Math.random(), 1))));
        }
        CheckpointStore checkpoints = new CheckpointStore(dir);
        EsmSpec m = mapping("M_" + RUN, streamArn, "TRIM_HORIZON", true);
        StackSource source = source(model(List.of(), List.of(), List.of(m)), checkpoints, Map.of());

        ConsoleSource.Lag all = source.lag(m);
        assertThat(all.records()).isEqualTo(3);
        assertThat(all.capped()).isFalse();
        assertThat(all.oldestAgeMs()).isNotNull().isBetween(0L, 60_000L);
        assertThat(all.problem()).isNull();

        List<Record> records = read(streamArn);
        String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
        checkpoints.put(m.uuid(), shard, records.get(1).dynamodb().sequenceNumber());
        assertThat(source.lag(m).records()).isEqualTo(1);
        checkpoints.put(m.uuid(), shard, records.get(2).dynamodb().sequenceNumber());
        ConsoleSource.Lag none = source.lag(m);
        assertThat(none.records()).isZero();
        assertThat(none.oldestAgeMs()).isNull();

        // a mapping that starts at LATEST and has done nothing yet: its position is unknown here, nothing is counted
        assertThat(source.lag(mapping("L_" + RUN, streamArn, "LATEST", true)).records()).isZero();
        assertThat(source.lag(mapping("D_" + RUN, streamArn, "TRIM_HORIZON", false))).isEqualTo(ConsoleSource.Lag.NONE);
        ConsoleSource.Lag broken = source.lag(mapping("B_" + RUN, streamArn.replace(table, RUN + "-gone"), "TRIM_HORIZON", true));
        assertThat(broken.records()).isZero();
        assertThat(broken.problem()).startsWith("cannot read the stream");
    }

    private static List<Record> read(String streamArn) {
        String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
        String it = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return streams.getRecords(b -> b.shardIterator(it)).records();
    }

    @Test
    void theDlqIsPeekedWithoutTakingItsMessages() {
        String name = RUN + "-dlq";
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String streamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x";
        Record poison = Record.builder().dynamodb(software.amazon.awssdk.services.dynamodb.model.StreamRecord.builder()
                .sequenceNumber("1100000000017454423009").approximateCreationDateTime(Instant.now()).build()).build();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(OnFailureMessage.json("arn:fn", streamArn, "shardId-1",
                List.of(poison), OnFailureMessage.RETRY_ATTEMPTS_EXHAUSTED, 4, null, Instant.now())));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("not json"));
        // the stream processor's own message for a poison record (its SqsPoisonQueue's shape: no shard id, the keys)
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"requestContext\":{\"requestId\":\"r-1\",\"functionArn\":"
                + "\"arn:fn\",\"condition\":\"PoisonRecord\",\"approximateInvokeCount\":1},\"version\":\"1.0\","
                + "\"timestamp\":\"2026-12-02T10:00:00Z\",\"DDBStreamBatchInfo\":{\"shardId\":null,"
                + "\"startSequenceNumber\":\"1100000000017454423010\",\"endSequenceNumber\":\"1100000000017454423010\","
                + "\"batchSize\":1,\"streamArn\":\"" + streamArn + "\"},\"poisonRecord\":{\"eventID\":\"e-1\","
                + "\"eventName\":\"INSERT\",\"sequenceNumber\":\"1100000000017454423010\",\"keys\":{\"transaction_id\":"
                + "{\"S\":\"tx-9\"},\"created_at\":{\"N\":\"1764669600000\"}},\"reason\":\"platform: BLACKBERRY is not"
                + " one of IOS, ANDROID, WEBPUSH\"}}"));
        StackModel model = model(List.of(), List.of(new StackModel.Queue("Dlq", name, "arn:aws:sqs:us-east-1:000000000000:" + name,
                url)), List.of());
        StackSource source = source(model, new CheckpointStore(dir), Map.of());

        ConsoleSource.QueueInfo q = source.queues(10).get(0);
        assertThat(q.problem()).isNull();
        assertThat(q.depth()).isEqualTo(3);
        assertThat(q.messages()).hasSize(3);
        ConsoleSource.QueueMessage m = q.messages().stream().filter(x -> x.shardId() != null).findFirst().orElseThrow();
        assertThat(m.shardId()).isEqualTo("shardId-1");
        assertThat(m.startSequenceNumber()).isEqualTo("1100000000017454423009");
        assertThat(m.endSequenceNumber()).isEqualTo("1100000000017454423009");
        assertThat(m.batchSize()).isEqualTo(1);
        assertThat(m.condition()).isEqualTo("RetryAttemptsExhausted");
        assertThat(m.approximateInvokeCount()).isEqualTo(4);
        assertThat(m.sent()).isNotNull();
        assertThat(m.item()).isNull();
        ConsoleSource.QueueMessage own = q.messages().stream().filter(x -> "PoisonRecord".equals(x.condition()))
                .findFirst().orElseThrow();
        assertThat(own.shardId()).isNull();
        assertThat(own.startSequenceNumber()).isEqualTo("1100000000017454423010");
        assertThat(own.item()).isEqualTo("transaction_id=tx-9, created_at=1764669600000");
        assertThat(own.detail()).isEqualTo("platform: BLACKBERRY is not one of IOS, ANDROID, WEBPUSH");
        assertThat(q.messages()).anySatisfy(x -> assertThat(x.condition()).isEqualTo("(not an on-failure message)"));
        // a peek: the messages are still there and visible
        assertThat(source.queues(10).get(0).depth()).isEqualTo(3);
        assertThat(source.queues(0).get(0).messages()).isEmpty();

        StackModel gone = model(List.of(), List.of(new StackModel.Queue("Gone", RUN + "-gone", "arn", "u")), List.of());
        ConsoleSource.QueueInfo missing = source(gone, new CheckpointStore(dir), Map.of()).queues(10).get(0);
        assertThat(missing.problem()).startsWith("cannot read the queue");
        assertThat(missing.depth()).isNull();
    }

    @Test
    void tablesAreDescribedWithTheirCountsKeysStreamAndGsis() {
        String commands = RUN + "-t-commands";
        String views = RUN + "-t-views";
        Tables.createCommandTable(ddb, commands);
        Tables.createNotificationTable(ddb, views);
        ddb.putItem(b -> b.tableName(commands).item(NotificationMapper.toCommandItem(command("tx-1", 5))));
        StackModel model = model(List.of(new StackModel.Table("C", commands, "arn", null),
                new StackModel.Table("V", views, "arn", null), new StackModel.Table("G", RUN + "-gone", "arn", null)),
                List.of(), List.of());
        List<ConsoleSource.TableInfo> t = source(model, new CheckpointStore(dir), Map.of()).tables();
        assertThat(t.get(0).itemCount()).isEqualTo(1);
        assertThat(t.get(0).keys()).containsExactly("transaction_id (HASH)", "created_at (RANGE)");
        assertThat(t.get(0).stream()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(t.get(0).status()).isEqualTo("ACTIVE");
        assertThat(t.get(1).itemCount()).isZero();
        assertThat(t.get(1).stream()).isNull();
        assertThat(t.get(1).indexes()).extracting(ConsoleSource.IndexInfo::name)
                .contains("marketing-index", "transaction-index", "sns-index", "failures-index");
        assertThat(t.get(2).problem()).startsWith("DescribeTable failed");
    }

    @Test
    void checkSyncComparesTheCommandAndNotificationTables() {
        String commands = RUN + "-s-commands";
        String views = RUN + "-s-views";
        Tables.createCommandTable(ddb, commands);
        Tables.createNotificationTable(ddb, views);
        Notification projected = command("tx-ok", 10);
        ddb.putItem(b -> b.tableName(commands).item(NotificationMapper.toCommandItem(projected)));
        ddb.putItem(b -> b.tableName(views).item(NotificationMapper.toViewItem(NotificationView.of(projected), null)));
        ddb.putItem(b -> b.tableName(commands).item(NotificationMapper.toCommandItem(command("tx-missing", 11))));
        Map<String, AttributeValue> poison = new HashMap<>(NotificationMapper.toCommandItem(command("tx-poison", 12)));
        poison.put("platform", AttributeValue.fromS("BLACKBERRY"));
        ddb.putItem(b -> b.tableName(commands).item(poison));
        StackModel model = model(List.of(new StackModel.Table("C", commands, "arn", null),
                new StackModel.Table("V", views, "arn", null)), List.of(), List.of());

        SyncReport r = source(model, new CheckpointStore(dir), Map.of("CommandTable", commands, "NotificationTable", views))
                .checkSync(5);
        assertThat(r.commands()).isEqualTo(3);
        assertThat(r.matched()).isEqualTo(1);
        assertThat(r.missing().count()).isEqualTo(1);
        assertThat(r.unmappable().count()).isEqualTo(1);
        assertThat(r.stale().count()).isZero();
        assertThat(r.orphan().count()).isZero();

        // without the outputs: the table a mapping reads, and the other one
        String streamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/" + commands + "/stream/x";
        StackModel withMapping = model(model.tables(), List.of(), List.of(mapping("M", streamArn, "TRIM_HORIZON", true)));
        assertThat(StackSource.syncTables(withMapping, Map.of())).containsExactly(commands, views);
        assertThatThrownBy(() -> source(model(List.of(), List.of(), List.of()), new CheckpointStore(dir), Map.of()).checkSync(5))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no command table");
        assertThatThrownBy(() -> source(null, new CheckpointStore(dir), Map.of()).checkSync(5))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing is deployed");
    }

    @Test
    void aLogTailIsTheLastLinesOfTheFile() throws IOException {
        Path log = dir.resolve("fn.log");
        assertThat(StackSource.tail(log, 5)).isEmpty();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add("[env-1] line " + i + " " + "x".repeat(20));
        }
        Files.write(log, lines);
        assertThat(StackSource.tail(log, 3)).containsExactly(lines.get(4997), lines.get(4998), lines.get(4999));
        assertThat(StackSource.tail(log, 0)).isEmpty();
        Files.writeString(dir.resolve("short.log"), "a\n\nb\n");
        assertThat(StackSource.tail(dir.resolve("short.log"), 10)).containsExactly("a", "b");
    }
}
