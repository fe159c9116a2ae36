package io.pushcqrs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --persist} (docs/reliability.md, "Persistence"): a stack is stopped and started again on the same persistence
 * and state folders; the command and read tables, a queue's message and the poller's position are still there, the
 * poller delivers nothing it had delivered before, and a new command is projected.
 */
@Tag("stack")
class PersistIT {
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final String KEY = "persist-it-key-0123456789abcdefghij";

    private final List<RunningStack> stacks = new ArrayList<>();
    private final List<PrintStream> consoles = new ArrayList<>();

    @AfterEach
    void stop() {
        stacks.forEach(RunningStack::close);
        consoles.forEach(PrintStream::close);
    }

    RunningStack start(Path dir, String logs) throws IOException {
        Files.createDirectories(dir.resolve(logs));
        PrintStream console = new PrintStream(Files.newOutputStream(dir.resolve(logs).resolve("console.log")), true,
                StandardCharsets.UTF_8);
        consoles.add(console);
        RunningStack s = LocalStackMain.startWith(console, "--port", "0", "--cdk-out", Synth.cdkOut().toString(),
                "--state-dir", dir.resolve("state").toString(), "--log-dir", dir.resolve(logs).toString(),
                "--max-envs", "2", "--api-key", KEY, "--persist", dir.resolve("persist").toString());
        stacks.add(s);
        return s;
    }

    static String checkpoint(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("state").resolve("checkpoints"))) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertThat(all).hasSize(1);
            return Files.readString(all.get(0));
        }
    }

    static long recordsSucceeded(RunningStack s) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pollers = (List<Map<String, Object>>) s.health().get("pollers");
        return ((Number) pollers.get(0).get("recordsSucceeded")).longValue();
    }

    @Test
    void tablesQueuesAndTheStreamPositionSurviveAStopAndAStart() throws Exception {
        Path dir = ItPaths.buildDir().resolve("persist-stack");
        ItPaths.deleteRecursively(dir);
        RunningStack first = start(dir, "logs-1");
        Target target = Target.fromOutputs("persisted stack", first.outputs());
        Api api = new Api(target);
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 12; i++) {
            assertThat(api.post("/commands", "{\"transaction_id\":\"persist-" + i + "\",\"created_at\":" + (t + i)
                    + ",\"user_id\":\"persist-user\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}").status())
                    .isEqualTo(201);
        }
        assertThat(api.patch("/commands/persist-3", Map.of("status", "DELIVERED", "version", 1)).status()).isEqualTo(200);
        assertThat(api.delete("/commands/persist-5").status()).isEqualTo(200);
        // every record of the stream delivered and checkpointed before the stop
        long records;
        try (AwsClients aws = new AwsClients(target)) {
            records = streamRecords(aws, target.commandTable());
        }
        assertThat(records).isGreaterThanOrEqualTo(14); // 12 inserts, 1 modify, 1 remove
        await().atMost(DEADLINE).until(() -> recordsSucceeded(first) == records);
        await().atMost(DEADLINE).until(() -> NotificationScenarios.items(api.get(Api.path("/query/user", "user_id", "persist-user", "limit", 50)))
                .size() == 11);
        String queueUrl = first.outputs().get("DlqUrl");
        List<Map<String, AttributeValue>> commandsBefore;
        try (AwsClients aws = new AwsClients(target)) {
            aws.sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("persist-it-message"));
            commandsBefore = aws.dynamoDb.scan(b -> b.tableName(target.commandTable())).items();
        }
        String checkpointBefore = checkpoint(dir);
        first.close();

        RunningStack second = start(dir, "logs-2");
        assertThat(second.summary()).contains("Persisted").contains("replayed");
        Target again = Target.fromOutputs("persisted stack, started again", second.outputs());
        Api api2 = new Api(again);
        try (AwsClients aws = new AwsClients(again)) {
            assertThat(aws.dynamoDb.scan(b -> b.tableName(again.commandTable())).items())
                    .containsExactlyInAnyOrderElementsOf(commandsBefore);
            assertThat(aws.sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages())
                    .anySatisfy(m -> assertThat(m.body()).isEqualTo("persist-it-message"));
        }
        List<JsonNode> views = NotificationScenarios.items(api2.get(Api.path("/query/user", "user_id", "persist-user", "limit", 50)));
        assertThat(views).hasSize(11);
        assertThat(views).anySatisfy(v -> {
            assertThat(v.path("transaction_id").asText()).isEqualTo("persist-3");
            assertThat(v.path("status").asText()).isEqualTo("DELIVERED");
        });
        // the position: the same checkpoint, taken over by the replayed stream
        assertThat(checkpoint(dir)).isEqualTo(checkpointBefore);

        // a new command: the only record the poller delivers after the restart
        assertThat(api2.post("/commands", "{\"transaction_id\":\"persist-new\",\"created_at\":" + (t + 100)
                + ",\"user_id\":\"persist-user\",\"platform\":\"IOS\",\"device_token\":\"t\",\"status\":\"SENT\"}").status())
                .isEqualTo(201);
        await().atMost(DEADLINE).until(() -> NotificationScenarios.items(api2.get(Api.path("/query/user", "user_id", "persist-user", "limit", 50)))
                .size() == 12);
        await().atMost(DEADLINE).until(() -> recordsSucceeded(second) >= 1);
        assertThat(recordsSucceeded(second)).as("nothing delivered twice").isEqualTo(1);
    }

    static long streamRecords(AwsClients aws, String table) {
        String arn = aws.dynamoDb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        long n = 0;
        for (var shard : aws.streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            String it = aws.streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType(software.amazon.awssdk.services.dynamodb.model.ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (it != null) {
                String current = it;
                var page = aws.streams.getRecords(b -> b.shardIterator(current));
                if (page.records().isEmpty()) {
                    break;
                }
                n += page.records().size();
                it = page.nextShardIterator();
            }
        }
        return n;
    }
}
