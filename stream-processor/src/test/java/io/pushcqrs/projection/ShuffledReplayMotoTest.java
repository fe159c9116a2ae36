package io.pushcqrs.projection;

import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.projection.adapter.DynamoDbViewStore;
import io.pushcqrs.projection.app.BatchResult;
import io.pushcqrs.projection.app.ChangeRecord;
import io.pushcqrs.projection.app.Changes;
import io.pushcqrs.projection.app.ProjectionService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection never goes backwards (issue 12, item 4), with moto's real stream and the real adapter: a random history
 * of creates, status changes, user moves, deletes and re-creates of the same keys is written to command-records; its
 * stream is then projected twice, each time shuffled, with duplicates, in batches of random sizes, by the concurrent
 * service. The read side ends equal to the write side: every command item has exactly its projection as a live view,
 * every other key the history touched holds a tombstone.
 */
@Tag(Tiers.MOTO)
class ShuffledReplayMotoTest {
    @RegisterExtension
    static final MotoTables moto = new MotoTables("shuffled-replay-test");

    @Test
    void aShardReplayedShuffledAndTwiceEndsEqualToTheWriteSide() {
        Random random = new Random(12);
        List<String> txs = List.of("tx-a", "tx-b", "tx-c", "tx-d", "tx-e");
        List<String> users = List.of("u1", "u2", "u3");
        Map<String, Notification> commands = new LinkedHashMap<>();
        int removes = 0;
        int recreates = 0;
        for (int step = 0; step < 120; step++) {
            String tx = txs.get(random.nextInt(txs.size()));
            Notification current = commands.get(tx);
            if (current == null) {
                recreates += removes > 0 ? 1 : 0;
                Notification created = Changes.command(tx, users.get(random.nextInt(users.size())))
                        .version(random.nextInt(5) == 0 ? null : 1L).notificationTitle("step " + step).build();
                moto.put(created.toBuilder());
                commands.put(tx, created);
            } else if (random.nextInt(10) < 2) {
                moto.ddb.deleteItem(DeleteItemRequest.builder().tableName(moto.commands)
                        .key(NotificationMapper.commandKey(tx, CREATED)).build());
                commands.remove(tx);
                removes++;
            } else {
                Notification.Builder next = current.toBuilder()
                        .version(current.version() == null ? null : current.version() + 1);
                if (random.nextBoolean()) {
                    next.userId(users.get(random.nextInt(users.size())));
                } else {
                    Status status = Status.values()[random.nextInt(Status.values().length)];
                    next.status(status).failedTs(status == Status.FAILED ? CREATED + step : null)
                            .errorMsg(status == Status.FAILED ? "error " + step : null);
                }
                Notification changed = next.build();
                moto.put(changed.toBuilder());
                commands.put(tx, changed);
            }
        }
        List<ChangeRecord> stream = moto.readStream();
        assertThat(stream).extracting(ChangeRecord::eventName).contains("INSERT", "MODIFY", "REMOVE");
        assertThat(removes).isPositive();
        assertThat(recreates).isPositive();

        try (ProjectionService service = new ProjectionService(new DynamoDbViewStore(moto.ddb, moto.views),
                Clock.systemUTC(), 8)) {
            for (int pass = 1; pass <= 2; pass++) {
                List<ChangeRecord> delivered = new ArrayList<>(stream);
                for (ChangeRecord r : stream) {
                    if (random.nextInt(4) == 0) {
                        delivered.add(r); // a duplicate
                    }
                }
                Collections.shuffle(delivered, random);
                for (int i = 0; i < delivered.size(); ) {
                    int size = 1 + random.nextInt(25);
                    BatchResult r = service.project(delivered.subList(i, Math.min(i + size, delivered.size())));
                    assertThat(r.failed()).isZero();
                    i += size;
                }
                assertEqualToTheWriteSide(commands, stream);
            }
        }
    }

    private static void assertEqualToTheWriteSide(Map<String, Notification> commands, List<ChangeRecord> stream) {
        Map<String, Map<String, AttributeValue>> expected = new LinkedHashMap<>();
        commands.forEach((tx, command) -> {
            ChangeRecord last = null;
            for (ChangeRecord r : stream) {
                if (r.keys().get(Attr.TRANSACTION_ID).s().equals(tx)) {
                    last = r;
                }
            }
            expected.put(command.userId() + "/" + ViewKeys.viewSk(command.createdAt(), tx),
                    NotificationMapper.toViewItem(NotificationView.of(command), ViewKeys.padSequence(last.sequenceNumber())));
        });
        Map<String, Map<String, AttributeValue>> live = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> all = moto.ddb.scan(ScanRequest.builder().tableName(moto.views)
                .consistentRead(true).build()).items();
        for (Map<String, AttributeValue> item : all) {
            String id = item.get(Attr.USER_ID).s() + "/" + item.get(Attr.VIEW_SK).s();
            if (!Tombstones.isTombstone(item)) {
                live.put(id, item);
            }
        }
        assertThat(live).isEqualTo(expected);
        assertThat(all.size() - live.size()).as("tombstones where items were deleted or moved away").isPositive();
    }
}
