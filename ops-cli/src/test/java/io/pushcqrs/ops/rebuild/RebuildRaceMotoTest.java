package io.pushcqrs.ops.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.ops.Cli;
import io.pushcqrs.ops.Context;
import io.pushcqrs.ops.ExitCodes;
import io.pushcqrs.ops.MotoTables;
import io.pushcqrs.ops.ui.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pushcqrs.ops.Fixtures.command;
import static io.pushcqrs.ops.Fixtures.rebuildView;
import static io.pushcqrs.ops.Fixtures.streamView;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild racing the stream, against moto, with the steps interleaved deterministically: the command is deleted
 * and the stream processor projects the REMOVE (a tombstone at the view's key) at a chosen point of the rebuild
 * (before it reads the view, or between its read and its write). The rebuild never brings the deleted view back.
 */
class RebuildRaceMotoTest {
    static final long NOW = 1_800_000_000_000L;
    static final long HOUR = 3600_000L;

    @TempDir
    Path root;

    private final Notification v3 = command("tx-r", 1_000, "u-r", 3L);

    private Cli.Result run(MotoTables t, String sub, String... rest) {
        return Cli.run(Map.of(Context.ENV_REPO_ROOT, root.toString()), t.args(sub, rest));
    }

    /** What the stream processor does for the DELETE of v3: the command is gone, its view a tombstone. */
    private Runnable deleteAndProjectTheRemove(MotoTables t, long seq) {
        return () -> {
            t.ddb.deleteItem(DeleteItemRequest.builder().tableName(t.commandTable)
                    .key(NotificationMapper.commandKey(v3.transactionId(), v3.createdAt())).build());
            t.putView(tombstone(seq, NOW - 60_000));
        };
    }

    private Map<String, AttributeValue> tombstone(long seq, long deletedAt) {
        return Tombstones.item(v3.userId(), v3.createdAt(), v3.transactionId(), ViewKeys.padSequence(Long.toString(seq)),
                deletedAt);
    }

    /** The client of the rebuild: runs {@code step} once, right before the first call of {@code operation}. */
    private static DynamoDbClient before(DynamoDbClient real, String operation, Runnable step) {
        AtomicBoolean done = new AtomicBoolean();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals(operation) && done.compareAndSet(false, true)) {
                        step.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private RebuildReport rebuild(MotoTables t, DynamoDbClient client) {
        return new Rebuilder(client, t.commandTable, t.notificationTable, new Rebuilder.Options(false, false, false, 100, 5),
                null, role -> Progress.silent(), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).run(null);
    }

    private Map<String, AttributeValue> viewAtKey(MotoTables t) {
        return t.ddb.getItem(b -> b.tableName(t.notificationTable).consistentRead(true)
                .key(NotificationMapper.viewKey(v3.userId(), v3.createdAt(), v3.transactionId()))).item();
    }

    @Test
    void aDeleteBetweenTheReadOfAMissingViewAndTheWriteWins() {
        MotoTables t = new MotoTables("race-a");
        t.putCommand(v3); // the stream missed its INSERT: no view

        RebuildReport report = rebuild(t, before(t.ddb, "putItem", deleteAndProjectTheRemove(t, 500)));

        assertThat(report.counts().written()).isZero();
        assertThat(report.counts().skippedNewer).isEqualTo(1);
        assertThat(report.skippedNewer().examples().get(0).detail()).contains("changed while rebuilding");
        assertThat(viewAtKey(t)).isEqualTo(tombstone(500, NOW - 60_000));

        // check-sync: a tombstone without its command is what a delete leaves: in sync, and counted
        Cli.Result sync = run(t, "check-sync", "--json");
        assertThat(sync.code()).as(sync.toString()).isEqualTo(ExitCodes.OK);
        JsonNode report2 = Json.readTree(sync.out());
        assertThat(report2.get("tombstones").asInt()).isEqualTo(1);
        assertThat(report2.at("/orphan/count").asInt()).isZero();
        assertThat(run(t, "check-sync").out()).contains("1 items (1 tombstones)").contains("IN SYNC");
        // and rebuild --delete-orphans keeps it
        Cli.Result orphans = run(t, "rebuild", "--delete-orphans");
        assertThat(orphans.out()).contains("orphans deleted   0").contains("views scanned     1 (tombstones 1)");
        assertThat(viewAtKey(t)).isEqualTo(tombstone(500, NOW - 60_000));
    }

    @Test
    void aDeleteBetweenTheReadOfAnOlderViewAndItsReplacementWins() {
        MotoTables t = new MotoTables("race-b");
        t.putCommand(v3);
        Notification v2 = v3.toBuilder().status(Status.DELIVERED).deliveredTs(1_500L).version(2L).build();
        t.putView(streamView(v2, 400)); // the stream projected version 2 only

        RebuildReport report = rebuild(t, before(t.ddb, "putItem", deleteAndProjectTheRemove(t, 500)));

        assertThat(report.counts().replacedOlder).isZero();
        assertThat(report.counts().skippedNewer).isEqualTo(1);
        assertThat(viewAtKey(t)).isEqualTo(tombstone(500, NOW - 60_000));
    }

    @Test
    void aDeleteAndReCreateBetweenTheReadAndTheWriteIsNotOverwrittenByTheDeadItem() {
        MotoTables t = new MotoTables("race-f");
        t.putCommand(v3);
        Notification v2 = v3.toBuilder().status(Status.DELIVERED).deliveredTs(1_500L).version(2L).build();
        t.putView(streamView(v2, 400));
        // between the rebuild's read (command v3, view v2) and its write: the command is deleted and created again,
        // and the stream projects the new item's INSERT (version 1 again, a higher sequence number)
        Notification reborn = command("tx-r", 1_000, "u-r", 1L).toBuilder().marketingId("campaign-2").build();
        Runnable deleteAndRecreate = () -> {
            deleteAndProjectTheRemove(t, 500).run();
            t.putCommand(reborn);
            t.putView(streamView(reborn, 600));
        };

        RebuildReport report = rebuild(t, before(t.ddb, "putItem", deleteAndRecreate));

        // version 3 of the deleted item is newer by version than the new item's 1, but it is dead: not written
        assertThat(report.counts().written()).isZero();
        assertThat(viewAtKey(t)).isEqualTo(streamView(reborn, 600));
        assertThat(run(t, "check-sync").code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aDeleteBeforeTheReadLeavesAYoungTombstoneThatTheRebuildKeeps() {
        MotoTables t = new MotoTables("race-c");
        t.putCommand(v3);

        // the command is scanned, then deleted and projected, then the rebuild reads the view: a tombstone
        RebuildReport report = rebuild(t, before(t.ddb, "batchGetItem", deleteAndProjectTheRemove(t, 500)));

        assertThat(report.counts().written()).isZero();
        assertThat(report.counts().skippedNewer).isEqualTo(1);
        assertThat(report.skippedNewer().examples().get(0).detail()).contains("deleted or moved 1 min ago");
        assertThat(viewAtKey(t)).isEqualTo(tombstone(500, NOW - 60_000));
    }

    @Test
    void aTombstoneOlderThanTheStreamWhereTheCommandExistsIsMissingAndRebuiltOver() {
        MotoTables t = new MotoTables("race-d");
        // deleted 30 h ago, created again since (version 1), and the stream's INSERT of it was never projected
        Notification again = command("tx-r", 1_000, "u-r", 1L);
        t.putCommand(again);
        t.putView(tombstone(500, NOW - 30 * HOUR));

        Cli.Result before = run(t, "check-sync", "--json");
        assertThat(before.code()).isEqualTo(ExitCodes.FAILED);
        JsonNode sync = Json.readTree(before.out());
        assertThat(sync.at("/missing/count").asInt()).isEqualTo(1);
        assertThat(sync.at("/missing/examples/0/detail").asText()).contains("a tombstone (deleted at ")
                .contains("where the command exists");
        assertThat(sync.get("tombstones").asInt()).isEqualTo(1);

        RebuildReport report = rebuild(t, t.ddb);

        assertThat(report.counts().replacedTombstones).isEqualTo(1);
        assertThat(report.render()).contains("over tombstones   1");
        assertThat(viewAtKey(t)).isEqualTo(rebuildView(again));
        assertThat(run(t, "check-sync").code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aRecentTombstoneWhereTheCommandExistsIsMissingButLeftToTheStream() {
        MotoTables t = new MotoTables("race-e");
        Notification again = command("tx-r", 1_000, "u-r", 1L);
        t.putCommand(again);
        t.putView(tombstone(500, NOW - 2 * HOUR));

        RebuildReport report = rebuild(t, t.ddb);

        assertThat(report.counts().written()).isZero();
        assertThat(report.counts().skippedNewer).isEqualTo(1);
        assertThat(viewAtKey(t)).containsEntry(Attr.DELETED, AttributeValue.fromBool(true));
    }
}
