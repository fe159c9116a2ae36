package io.pushcqrs.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.dynamodb.DynamoDbInputRules;
import io.pushcqrs.local.esm.CheckpointStore;
import io.pushcqrs.local.esm.EsmSpec;
import io.pushcqrs.local.esm.StreamPoller;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.LambdaRuntime;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.model.sync.SyncComparison;
import io.pushcqrs.model.sync.SyncReport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The running stack as the console reads it. Everything here runs when a page asks, on the edge's thread of that
 * request; the AWS calls go straight to moto with the stack's own clients (not through the edge's IAM check, as the
 * stack's own reads), so a page open costs these calls and nothing else:
 * <ul>
 *   <li>{@link #lag}: DescribeStream, then GetShardIterator after each shard's checkpoint and GetRecords until the end
 *       (at most {@value #MAX_LAG_COUNT} records counted);</li>
 *   <li>{@link #tables}: DescribeTable per table;</li>
 *   <li>{@link #queues}: GetQueueAttributes and one ReceiveMessage with VisibilityTimeout 0 (a peek: the messages stay
 *       visible; as in the SQS console's "poll for messages", their receive count goes up);</li>
 *   <li>{@link #checkSync}: a Scan of both tables (only when the button is pressed);</li>
 *   <li>{@link #logTail}: the end of the function's log file.</li>
 * </ul>
 */
public final class StackSource implements ConsoleSource {
    /** Records counted behind a mapping's checkpoint, at most. */
    public static final int MAX_LAG_COUNT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_BYTES = 64 * 1024;

    /** The running stack's parts the console reads; the suppliers answer what is current (deployments change it). */
    public record Parts(Supplier<StackInfo> stack, Supplier<StackModel> model, Supplier<List<StreamPoller>> pollers,
                        Supplier<LambdaRuntime> runtime, int maxEnvironments, Supplier<Map<String, String>> outputs,
                        DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, SqsClient sqs,
                        CheckpointStore checkpoints) {
    }

    private final Parts parts;
    private final Clock clock;

    public StackSource(Parts parts) {
        this(parts, Clock.systemUTC());
    }

    StackSource(Parts parts, Clock clock) {
        this.parts = parts;
        this.clock = clock;
    }

    @Override
    public StackInfo stack() {
        return parts.stack().get();
    }

    private Optional<StackModel> model() {
        return Optional.ofNullable(parts.model().get());
    }

    @Override
    public List<MappingInfo> mappings() {
        List<MappingInfo> out = new ArrayList<>();
        for (StreamPoller p : parts.pollers().get()) {
            out.add(new MappingInfo(p.spec(), DynamoDbInputRules.tableName(p.spec().streamArn()), p.status(), p.stats()));
        }
        return out;
    }

    @Override
    public Lag lag(EsmSpec mapping) {
        if (!mapping.enabled()) {
            return Lag.NONE;
        }
        try {
            long count = 0;
            Instant oldest = null;
            Map<String, CheckpointStore.ShardCheckpoint> checkpoints = parts.checkpoints().shards(mapping.uuid());
            List<Shard> shards = parts.streams().describeStream(b -> b.streamArn(mapping.streamArn()))
                    .streamDescription().shards();
            for (Shard shard : shards) {
                CheckpointStore.ShardCheckpoint c = checkpoints.get(shard.shardId());
                if (c != null && c.ended()) {
                    continue;
                }
                GetShardIteratorRequest.Builder req = GetShardIteratorRequest.builder().streamArn(mapping.streamArn())
                        .shardId(shard.shardId());
                if (c != null && c.sequenceNumber() != null) {
                    req.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(c.sequenceNumber());
                } else if ("TRIM_HORIZON".equals(mapping.startingPosition())) {
                    req.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                } else {
                    continue; // LATEST and nothing done yet: the poller reads from where it started, unknown here
                }
                String iterator = parts.streams().getShardIterator(req.build()).shardIterator();
                while (iterator != null && count < MAX_LAG_COUNT) {
                    GetRecordsResponse r = parts.streams().getRecords(GetRecordsRequest.builder()
                            .shardIterator(iterator).limit(1000).build());
                    if (r.records().isEmpty()) {
                        break;
                    }
                    for (Record rec : r.records()) {
                        Instant t = rec.dynamodb().approximateCreationDateTime();
                        if (t != null && (oldest == null || t.isBefore(oldest))) {
                            oldest = t;
                        }
                    }
                    count += r.records().size();
                    iterator = r.nextShardIterator();
                }
            }
            return new Lag(Math.min(count, MAX_LAG_COUNT), count >= MAX_LAG_COUNT, oldest == null ? null
                    : Math.max(0, Duration.between(oldest, clock.instant()).toMillis()), null);
        } catch (SdkException | IllegalStateException e) {
            return new Lag(0, false, null, "cannot read the stream: " + e.getMessage());
        }
    }

    @Override
    public List<FunctionInfo> functions() {
        LambdaRuntime runtime = parts.runtime().get();
        List<FunctionInfo> out = new ArrayList<>();
        for (FunctionSpec f : model().map(StackModel::functions).orElse(List.of())) {
            boolean active = runtime != null && runtime.find(f.name()).isPresent();
            out.add(new FunctionInfo(f, active, runtime == null ? 0 : runtime.environmentCount(f.name()),
                    parts.maxEnvironments()));
        }
        return out;
    }

    @Override
    public List<String> logTail(String function, int lines) {
        LambdaRuntime runtime = parts.runtime().get();
        return runtime == null ? List.of() : tail(runtime.functionLog(function), lines);
    }

    /** The last {@code lines} lines of a file (read from its last 64 KiB), oldest first; empty when it is missing. */
    static List<String> tail(Path file, int lines) {
        if (!Files.isRegularFile(file) || lines <= 0) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> all = new ArrayList<>(List.of(text.split("\r?\n")));
            if (from > 0 && !all.isEmpty()) {
                all.remove(0); // a partial line
            }
            all.removeIf(String::isEmpty);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    @Override
    public List<TableInfo> tables() {
        List<TableInfo> out = new ArrayList<>();
        for (StackModel.Table t : model().map(StackModel::tables).orElse(List.of())) {
            try {
                TableDescription d = parts.dynamoDb().describeTable(b -> b.tableName(t.name())).table();
                List<IndexInfo> indexes = new ArrayList<>();
                for (GlobalSecondaryIndexDescription g : d.globalSecondaryIndexes()) {
                    indexes.add(new IndexInfo(g.indexName(), keys(g.keySchema()), g.indexStatusAsString(), g.itemCount()));
                }
                String stream = d.streamSpecification() != null && Boolean.TRUE.equals(d.streamSpecification().streamEnabled())
                        ? d.streamSpecification().streamViewTypeAsString() : null;
                out.add(new TableInfo(t.name(), d.tableStatusAsString(), d.itemCount(), d.tableSizeBytes(),
                        keys(d.keySchema()), stream, indexes, null));
            } catch (SdkException e) {
                out.add(new TableInfo(t.name(), null, null, null, List.of(), null, List.of(),
                        "DescribeTable failed: " + e.getMessage()));
            }
        }
        return out;
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + " (" + k.keyTypeAsString() + ")").toList();
    }

    @Override
    public List<QueueInfo> queues(int maxMessages) {
        List<QueueInfo> out = new ArrayList<>();
        for (StackModel.Queue q : model().map(StackModel::queues).orElse(List.of())) {
            try {
                String url = parts.sqs().getQueueUrl(b -> b.queueName(q.name())).queueUrl();
                Map<QueueAttributeName, String> a = parts.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                long depth = Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
                long inFlight = Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
                List<QueueMessage> messages = new ArrayList<>();
                if (depth > 0 && maxMessages > 0) {
                    for (Message m : parts.sqs().receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(Math.min(10, maxMessages)).visibilityTimeout(0).waitTimeSeconds(0)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                        messages.add(message(m));
                    }
                    messages.sort(Comparator.comparing(QueueMessage::sent, Comparator.nullsLast(Comparator.reverseOrder())));
                }
                out.add(new QueueInfo(q.name(), q.url(), depth, inFlight, messages, null));
            } catch (SdkException | NumberFormatException e) {
                out.add(new QueueInfo(q.name(), q.url(), null, null, List.of(), "cannot read the queue: " + e.getMessage()));
            }
        }
        return out;
    }

    static QueueMessage message(Message m) {
        Map<MessageSystemAttributeName, String> a = m.attributes();
        Instant sent = null;
        int received = 0;
        try {
            String ts = a.get(MessageSystemAttributeName.SENT_TIMESTAMP);
            sent = ts == null ? null : Instant.ofEpochMilli(Long.parseLong(ts));
            received = Integer.parseInt(a.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"));
        } catch (NumberFormatException e) {
            // left unknown
        }
        JsonNode body;
        try {
            body = JSON.readTree(m.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return new QueueMessage(m.messageId(), sent, received, null, null, null, null, "(not an on-failure message)",
                    null, null, null, null);
        }
        JsonNode info = body.path("DDBStreamBatchInfo");
        JsonNode request = body.path("requestContext");
        return new QueueMessage(m.messageId(), sent, received, text(info, "shardId"), text(info, "startSequenceNumber"),
                text(info, "endSequenceNumber"), info.has("batchSize") ? info.get("batchSize").asInt() : null,
                text(request, "condition"), text(body.path("responseContext"), "functionError"),
                request.has("approximateInvokeCount") ? request.get("approximateInvokeCount").asInt() : null,
                poisonItem(body.path("poisonRecord").path("keys")), text(body.path("poisonRecord"), "reason"));
    }

    /** The keys of a poison record's message ({"transaction_id":{"S":..},"created_at":{"N":..}}) as name=value, or null. */
    private static String poisonItem(JsonNode keys) {
        if (!keys.isObject() || keys.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        keys.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            String scalar = value.isObject() && value.size() == 1 ? value.elements().next().asText() : value.toString();
            parts.add(e.getKey() + "=" + scalar);
        });
        return String.join(", ", parts);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public List<RestApiModel> apis() {
        return model().map(StackModel::apis).orElse(List.of());
    }

    @Override
    public SyncReport checkSync(int examples) {
        StackModel model = model().orElseThrow(() -> new IllegalStateException("nothing is deployed"));
        String[] tables = syncTables(model, parts.outputs().get());
        DynamoDbClient ddb = parts.dynamoDb();
        long start = System.nanoTime();
        SyncComparison comparison = new SyncComparison(tables[0], tables[1], examples,
                SyncComparison.CommandLookup.consistentRead(ddb, tables[0]));
        ddb.scanPaginator(b -> b.tableName(tables[0]).consistentRead(true)).items().forEach(comparison::addCommand);
        ddb.scanPaginator(b -> b.tableName(tables[1]).consistentRead(true)).items().forEach(comparison::addView);
        return comparison.finish(Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * [command table, notification table]: the outputs CommandTable and NotificationTable, else the table a mapping
     * reads and the other one.
     */
    static String[] syncTables(StackModel model, Map<String, String> outputs) {
        String command = outputs == null ? null : outputs.get("CommandTable");
        String notification = outputs == null ? null : outputs.get("NotificationTable");
        if (command == null && !model.mappings().isEmpty()) {
            command = DynamoDbInputRules.tableName(model.mappings().get(0).streamArn());
        }
        if (notification == null) {
            for (StackModel.Table t : model.tables()) {
                if (!t.name().equals(command)) {
                    notification = t.name();
                    break;
                }
            }
        }
        if (command == null || notification == null) {
            throw new IllegalStateException("the stack has no command table and notification table to compare"
                    + " (outputs CommandTable and NotificationTable)");
        }
        return new String[]{command, notification};
    }
}
