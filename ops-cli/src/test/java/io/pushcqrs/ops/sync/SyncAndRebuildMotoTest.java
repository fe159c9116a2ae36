package io.pushcqrs.ops.sync;


import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.Fixtures;
import io.pushcqrs.ops.MotoTables;
import io.pushcqrs.ops.OpsCli;
import io.pushcqrs.ops.rebuild.Checkpoint;
import io.pushcqrs.ops.rebuild.RebuildCounts;
import io.pushcqrs.ops.rebuild.RebuildReport;
import io.pushcqrs.ops.rebuild.Rebuilder;
import io.pushcqrs.ops.ui.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pushcqrs.ops.Fixtures.command;
import static io.pushcqrs.ops.Fixtures.rebuildView;
import static io.pushcqrs.ops.Fixtures.streamView;
import static io.pushcqrs.ops.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** check-sync and rebuild against a real DynamoDB API (moto). */
class SyncAndRebuildMotoTest {
    @TempDir
    Path root;

    private Map<String, String> env() {
        return Map.of(Context.ENV_REPO_ROOT, root.toString());
    }

    private Cli.Result run(MotoTables t, String sub, String... rest) {
        return Cli.run(env(), t.args(sub, rest));
    }

    private static JsonNode json(Cli.Result r) {
        return Json.readTree(r.out());
    }

    /** Five commands: three from command-lambda (versioned), two put by operators' tools (no version). */
    private static List<Notification> seed(MotoTables t) {
        List<Notification> list = List.of(
                command("tx-1", 1_000, "u-1", 1L),
                command("tx-2", 2_000, "u-1", 4L).toBuilder().status(Status.FAILED).errorMsg("EndpointDisabled")
                        .failedTs(2_100L).retryCnt(2).build(),
                command("tx-3", 3_000, "u-2", 2L),
                command("tx-4", 4_000, "u-2", null),
                command("tx-5", 5_000, "u-3", null).toBuilder().marketingId(null).snsId("sns-5").build());
        list.forEach(t::putCommand);
        return list;
    }

    @Test
    void rebuildProjectsEverythingThenCheckSyncIsInSyncAndASecondRebuildWritesNothing() {
        MotoTables t = new MotoTables("sync-a");
        List<Notification> commands = seed(t);

        Cli.Result before = run(t, "check-sync", "--json");
        assertThat(before.code()).as(before.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(json(before).at("/missing/count").asInt()).isEqualTo(5);

        Cli.Result first = run(t, "rebuild");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("commands scanned  5").contains("written           5 (new 5, replaced older 0, forced 0)")
                .contains("unchanged         0");
        assertThat(first.err()).contains("scanning command-records: 5 items");
        assertThat(Files.exists(root.resolve(Checkpoint.DEFAULT_FILE))).isFalse();

        // every view is exactly the stream processor's projection, minus source_seq
        for (Notification n : commands) {
            Map<String, AttributeValue> view = t.ddb.getItem(b -> b.tableName(t.notificationTable)
                    .key(NotificationMapper.viewKey(n.userId(), n.createdAt(), n.transactionId()))).item();
            assertThat(view).isEqualTo(rebuildView(n));
        }

        Cli.Result sync = run(t, "check-sync");
        assertThat(sync.code()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("IN SYNC").contains("in sync     5").contains("5 items");

        Cli.Result second = run(t, "rebuild", "--json");
        assertThat(second.code()).isZero();
        JsonNode report = json(second);
        assertThat(report.get("written").asInt()).isZero();
        assertThat(report.get("nothing_changed").asBoolean()).isTrue();
        assertThat(report.at("/counts/unchanged").asInt()).isEqualTo(5);
        assertThat(run(t, "rebuild").out()).contains("nothing changed: the read side already matched command-records");
    }

    @Test
    void viewsKeyedBeforeTheIndexesWereShardedAreStaleAndRebuildReKeysThemWithoutForce() {
        MotoTables t = new MotoTables("sync-rekey");
        List<Notification> commands = seed(t);
        // the stream processor of before: failure_status "FAILED", no marketing_shard; source_seq of its records
        for (int i = 0; i < commands.size(); i++) {
            Map<String, AttributeValue> view = new HashMap<>(Fixtures.streamView(commands.get(i), 100 + i));
            view.remove(Attr.MARKETING_SHARD);
            if (view.containsKey(Attr.FAILURE_STATUS)) {
                view.put(Attr.FAILURE_STATUS, AttributeValue.fromS("FAILED"));
            }
            t.putView(view);
        }

        JsonNode stale = json(run(t, "check-sync", "--json", "--examples", "5"));
        assertThat(stale.at("/stale/count").asInt()).isEqualTo(4); // tx-5 has no campaign and did not fail
        assertThat(stale.at("/stale/examples").toString()).contains("fields failure_status, marketing_shard differ");

        Cli.Result rebuild = run(t, "rebuild");
        assertThat(rebuild.code()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("re-keyed          4").contains("unchanged         1");
        assertThat(run(t, "check-sync").code()).isZero();
        for (int i = 0; i < commands.size(); i++) {
            Notification n = commands.get(i);
            Map<String, AttributeValue> view = t.ddb.getItem(b -> b.tableName(t.notificationTable)
                    .key(NotificationMapper.viewKey(n.userId(), n.createdAt(), n.transactionId()))).item();
            assertThat(view).as(n.transactionId()).isEqualTo(Fixtures.streamView(n, 100 + i));
        }
    }

    @Test
    void createClaimsAreNeitherCommandsNorUnmappable() {
        MotoTables t = new MotoTables("sync-claim");
        List<Notification> commands = seed(t);
        Map<String, AttributeValue> claim = new java.util.LinkedHashMap<>(NotificationMapper.commandKey(
                commands.get(0).transactionId(), io.pushcqrs.model.CreateClaim.CREATED_AT));
        claim.put(io.pushcqrs.model.CreateClaim.CLAIMED_CREATED_AT,
                AttributeValue.fromN(Long.toString(commands.get(0).createdAt())));
        t.putCommand(claim);

        Cli.Result rebuild = run(t, "rebuild");
        assertThat(rebuild.code()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("commands scanned  5").contains("written           5 (new 5");
        Cli.Result sync = run(t, "check-sync", "--json");
        assertThat(sync.code()).as(sync.toString()).isZero();
        assertThat(json(sync).at("/unmappable/count").asInt()).isZero();
        assertThat(json(sync).at("/commands").asInt()).isEqualTo(5);
    }

    @Test
    void checkSyncReportsMissingStaleOrphanAndUnmappableAndRebuildRepairsWhatItMay() {
        MotoTables t = new MotoTables("sync-b");
        List<Notification> commands = seed(t);
        assertThat(run(t, "rebuild").code()).isZero();

        // missing: a view lost
        Notification lost = commands.get(0);
        t.ddb.deleteItem(DeleteItemRequest.builder().tableName(t.notificationTable)
                .key(NotificationMapper.viewKey(lost.userId(), lost.createdAt(), lost.transactionId())).build());
        // stale: command-lambda moved tx-3 to version 3 and the stream window was missed
        Notification delivered = commands.get(2).toBuilder().status(Status.DELIVERED).deliveredTs(3_500L).version(3L).build();
        t.putCommand(delivered);
        // stale, not provably older: someone edited the view of a versionless command by hand
        Notification tool = commands.get(3);
        t.putView(with(rebuildView(tool), Attr.NOTIFICATION_TITLE, AttributeValue.fromS("edited by hand")));
        // orphan: a view whose command was deleted
        t.putView(streamView(command("tx-gone", 9_000, "u-9", 1L), 77));
        // unmappable: a command with a platform the model does not know
        t.putCommand(with(NotificationMapper.toCommandItem(command("tx-bad", 6_000, "u-1", null)), Attr.PLATFORM,
                AttributeValue.fromS("BLACKBERRY")));

        Cli.Result r = run(t, "check-sync", "--json", "--examples", "3");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode report = json(r);
        assertThat(report.get("in_sync").asBoolean()).isFalse();
        assertThat(report.get("commands").asInt()).isEqualTo(6);
        assertThat(report.get("views").asInt()).isEqualTo(5);
        assertThat(report.get("matched").asInt()).isEqualTo(2);
        assertThat(report.at("/missing/count").asInt()).isEqualTo(1);
        assertThat(report.at("/missing/examples/0/transaction_id").asText()).isEqualTo("tx-1");
        assertThat(report.at("/stale/count").asInt()).isEqualTo(2);
        assertThat(report.at("/orphan/count").asInt()).isEqualTo(1);
        assertThat(report.at("/orphan/examples/0/transaction_id").asText()).isEqualTo("tx-gone");
        assertThat(report.at("/unmappable/count").asInt()).isEqualTo(1);
        assertThat(report.at("/unmappable/examples/0/detail").asText()).contains("BLACKBERRY");
        Map<String, JsonNode> stale = new HashMap<>();
        report.at("/stale/examples").forEach(e -> stale.put(e.get("transaction_id").asText(), e));
        assertThat(stale.get("tx-3").get("fields")).extracting(JsonNode::asText)
                .containsExactly("delivered_ts", "source_version", "status");
        assertThat(stale.get("tx-3").get("view_source_version").asInt()).isEqualTo(2);
        assertThat(stale.get("tx-3").get("command_version").asInt()).isEqualTo(3);
        assertThat(stale.get("tx-4").get("fields")).extracting(JsonNode::asText).containsExactly("notification_title");

        Cli.Result text = run(t, "check-sync");
        assertThat(text.out()).contains("missing     1").contains("stale       2").contains("orphan      1")
                .contains("unmappable  1").contains("OUT OF SYNC (5 problems)")
                .contains("fields delivered_ts, source_version, status differ; source_version 2 vs version 3");

        // rebuild: writes the missing view, replaces the older one, keeps the hand-edited one (needs --force),
        // keeps the orphan (needs --delete-orphans), reports the unmappable command; exit 1 as not all is projected
        Cli.Result rebuild = run(t, "rebuild");
        assertThat(rebuild.code()).as(rebuild.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(rebuild.out()).contains("written           2 (new 1, replaced older 1, forced 0)")
                .contains("skipped-differs   1").contains("tx-4 (user u-2)").contains("--force")
                .contains("unmappable        1").contains("tx-bad");

        Cli.Result dry = run(t, "rebuild", "--force", "--delete-orphans", "--dry-run");
        assertThat(dry.out()).contains("DRY RUN: nothing was written").contains("would write       1 (new 0, replaced older 0, forced 1)")
                .contains("orphans to delete 1").contains("tx-gone");
        assertThat(json(run(t, "check-sync", "--json")).at("/orphan/count").asInt()).isEqualTo(1);

        Cli.Result forced = run(t, "rebuild", "--force", "--delete-orphans");
        assertThat(forced.out()).contains("forced 1").contains("orphans deleted   1").contains("views scanned     6");
        JsonNode after = json(run(t, "check-sync", "--json"));
        assertThat(after.get("matched").asInt()).isEqualTo(5);
        assertThat(after.at("/missing/count").asInt() + after.at("/stale/count").asInt()
                + after.at("/orphan/count").asInt()).isZero();
        assertThat(after.at("/unmappable/count").asInt()).isEqualTo(1);
    }

    @Test
    void rebuildKeepsANewerStreamProjection() {
        MotoTables t = new MotoTables("sync-c");
        Notification v4 = command("tx-1", 1_000, "u-1", 4L);
        t.putCommand(v4);
        Notification v5 = v4.toBuilder().status(Status.DELIVERED).deliveredTs(1_900L).version(5L).build();
        t.putView(streamView(v5, 123));
        Cli.Result r = run(t, "rebuild");
        assertThat(r.out()).contains("written           0").contains("skipped-newer     1")
                .contains("source_version 5, newer than the command's version 4");
        assertThat(r.code()).isZero();
        assertThat(t.scan(t.notificationTable)).containsExactly(streamView(v5, 123));
    }

    @Test
    void rebuildResumesFromASavedCheckpoint() {
        MotoTables t = new MotoTables("sync-d");
        for (int i = 0; i < 7; i++) {
            t.putCommand(command("tx-" + i, 1_000 + i, "u-" + (i % 2), i % 3 == 0 ? null : (long) i));
        }
        // an earlier run did the first page of two and stopped
        ScanResponse firstPage = t.ddb.scan(ScanRequest.builder().tableName(t.commandTable).consistentRead(true)
                .limit(2).build());
        RebuildCounts counts = new RebuildCounts();
        counts.commandsScanned = 2;
        counts.created = 2;
        Path file = root.resolve("cp.json");
        new Checkpoint(t.commandTable, t.notificationTable, Checkpoint.Phase.commands, firstPage.lastEvaluatedKey(),
                counts).save(file);

        Cli.Result r = run(t, "rebuild", "--resume", "--checkpoint", file.toString(), "--page-size", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("resuming from " + file + " (phase commands, 2 commands done)");
        assertThat(r.out()).contains("commands scanned  7").contains("written           7 (new 7");
        assertThat(Files.exists(file)).isFalse();
        // only the five after the checkpoint were written: the first page is the earlier run's
        assertThat(t.scan(t.notificationTable)).hasSize(5);
        JsonNode sync = json(run(t, "check-sync", "--json"));
        assertThat(sync.at("/missing/count").asInt()).isEqualTo(2);
        List<String> missing = sync.at("/missing/examples").findValuesAsText("transaction_id");
        List<String> firstPageIds = firstPage.items().stream().map(i -> i.get(Attr.TRANSACTION_ID).s()).toList();
        assertThat(missing).containsExactlyInAnyOrderElementsOf(firstPageIds);

        // a checkpoint for other tables is refused
        new Checkpoint("other", t.notificationTable, Checkpoint.Phase.commands, null, new RebuildCounts()).save(file);
        Cli.Result wrong = run(t, "rebuild", "--resume", "--checkpoint", file.toString());
        assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("is for other -> ");
    }

    @Test
    void aFailedRunLeavesTheCheckpointAndResumeFinishesIt() throws Exception {
        MotoTables t = new MotoTables("sync-e");
        for (int i = 0; i < 7; i++) {
            t.putCommand(command("tx-" + i, 1_000 + i, "u-1", (long) i + 1));
        }
        Path file = root.resolve(Checkpoint.DEFAULT_FILE);
        AtomicInteger puts = new AtomicInteger();
        DynamoDbClient failing = failOnPut(t.ddb, 3, puts);
        Rebuilder.Options options = new Rebuilder.Options(false, false, false, 2, 5);
        try {
            new Rebuilder(failing, t.commandTable, t.notificationTable, options, file, role -> Progress.silent()).run(null);
            throw new AssertionError("the third put should have failed");
        } catch (SdkClientException expected) {
            assertThat(expected.getMessage()).contains("connection reset (test)");
        }
        Checkpoint cp = Checkpoint.load(file);
        assertThat(cp.phase()).isEqualTo(Checkpoint.Phase.commands);
        assertThat(cp.startKey()).isNotNull();
        assertThat(cp.counts().commandsScanned).isEqualTo(2);
        assertThat(cp.counts().created).isEqualTo(2);

        // without --resume it says there is a checkpoint and starts over; with it, it continues
        Cli.Result r = run(t, "rebuild", "--resume", "--page-size", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("commands scanned  7").contains("new 7");
        assertThat(Files.exists(file)).isFalse();
        assertThat(run(t, "check-sync").code()).isZero();
        assertThat(run(t, "rebuild", "--resume").err()).contains("no checkpoint at").contains("starting from the beginning");
    }

    @Test
    void waitPollsUntilInSyncAndSaysHowLongItTook() {
        MotoTables t = new MotoTables("sync-f");
        seed(t);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = new Context(env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() ->
                OpsCli.run(t.args("check-sync", "--wait", "--timeout", "60s", "--interval", "200ms"), ctx));
        await().atMost(Duration.ofSeconds(30)).until(() -> err.toString(StandardCharsets.UTF_8).contains("check 1: 5 problem(s)"));
        assertThat(waiting).isNotDone();
        assertThat(run(t, "rebuild").code()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(waiting.join()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("IN SYNC").containsPattern("in sync after \\d+\\.\\d s \\(\\d+ checks\\)");
    }

    @Test
    void waitGivesUpAtTheTimeout() {
        MotoTables t = new MotoTables("sync-g");
        seed(t);
        Cli.Result r = run(t, "check-sync", "--wait", "--timeout", "500ms", "--interval", "100ms", "--json");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        JsonNode report = json(r);
        assertThat(report.get("in_sync").asBoolean()).isFalse();
        assertThat(report.get("checks").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.get("waited_ms").asLong()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void theEndpointAndTablesComeFromTheOutputsFileOrTheEnvironment() throws Exception {
        MotoTables t = new MotoTables("sync-h");
        seed(t);
        Files.createDirectories(root.resolve(".local"));
        Files.writeString(root.resolve(".local/outputs.json"), "{\"Endpoint\":\"" + t.endpoint
                + "\",\"CommandTable\":\"" + t.commandTable + "\",\"NotificationTable\":\"" + t.notificationTable + "\"}");
        assertThat(Cli.run(env(), "rebuild").code()).isZero();
        assertThat(Cli.run(env(), "check-sync").out()).contains("IN SYNC").contains(t.commandTable);

        Files.writeString(root.resolve(".local/outputs.json"), "{\"Endpoint\":\"http://127.0.0.1:9\",\"CommandTable\":\""
                + t.commandTable + "\",\"NotificationTable\":\"" + t.notificationTable + "\"}");
        Map<String, String> withEnv = new HashMap<>(env());
        withEnv.put("AWS_ENDPOINT_URL", t.endpoint);
        assertThat(Cli.run(withEnv, "check-sync").code()).isZero();
    }

    @Test
    void connectionAndTableErrorsExit2() {
        MotoTables t = new MotoTables("sync-i");
        int port = MotoServer.freePort();
        Cli.Result down = Cli.run(env(), "check-sync", "--endpoint", "http://127.0.0.1:" + port, "--command-table", "a",
                "--notification-table", "b");
        assertThat(down.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(down.err()).contains("cannot reach DynamoDB at http://127.0.0.1:" + port);

        Cli.Result noTable = Cli.run(env(), "rebuild", "--endpoint", t.endpoint, "--command-table", "no-such-table",
                "--notification-table", t.notificationTable);
        assertThat(noTable.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noTable.err()).contains("table not found");
    }

    @Test
    void reportJsonOfRebuildHasTheCounts() {
        MotoTables t = new MotoTables("sync-j");
        seed(t);
        RebuildReport report = new Rebuilder(t.ddb, t.commandTable, t.notificationTable,
                new Rebuilder.Options(false, true, true, 50, 5), null, role -> Progress.silent()).run(null);
        assertThat(report.counts().created).isEqualTo(5);
        assertThat(report.toJson().get("dry_run").asBoolean()).isTrue();
        assertThat(t.scan(t.notificationTable)).isEmpty();
    }

    /** A client that throws on the n-th PutItem (like a dropped connection) and otherwise delegates. */
    private static DynamoDbClient failOnPut(DynamoDbClient real, int n, AtomicInteger puts) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putItem") && puts.incrementAndGet() == n) {
                        throw SdkClientException.create("connection reset (test)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
