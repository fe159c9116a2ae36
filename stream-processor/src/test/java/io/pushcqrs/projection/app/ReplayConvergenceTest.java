package io.pushcqrs.projection.app;

import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static io.pushcqrs.projection.app.Changes.command;
import static io.pushcqrs.projection.app.Changes.insert;
import static io.pushcqrs.projection.app.Changes.modify;
import static io.pushcqrs.projection.app.Changes.remove;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream of a shard, replayed shuffled and with duplicates, in batches of random sizes, ends equal to the write
 * side: every command item has exactly its projection as a live view, and every other key the histories touched
 * holds a tombstone. The histories delete and create the same keys again (versions restart at 1), move items to
 * another user_id and back, and mix versioned items with versionless ones (operators' tools).
 */
class ReplayConvergenceTest {
    private static final List<String> TRANSACTIONS = List.of("tx-a", "tx-b", "tx-c");
    private static final List<String> USERS = List.of("u1", "u2", "u3");

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    /** One shard's stream of a random history, and the command table it leaves. */
    private record History(List<ChangeRecord> records, Map<String, Notification> commands) {
    }

    private static History history(Random random) {
        Map<String, Notification> commands = new LinkedHashMap<>();
        List<ChangeRecord> records = new ArrayList<>();
        long seq = 1_000;
        int steps = 5 + random.nextInt(30);
        for (int i = 0; i < steps; i++) {
            String tx = TRANSACTIONS.get(random.nextInt(TRANSACTIONS.size()));
            Notification current = commands.get(tx);
            seq += 1 + random.nextInt(1000);
            if (current == null) {
                // (re-)create: a new lifetime, version 1 again (or no version: put by an operator's tool)
                Notification created = command(tx, USERS.get(random.nextInt(USERS.size())))
                        .version(random.nextInt(4) == 0 ? null : 1L).notificationTitle("title " + seq).build();
                commands.put(tx, created);
                records.add(insert(seq, NotificationMapper.toCommandItem(created)));
                continue;
            }
            int op = random.nextInt(10);
            if (op < 3) {
                commands.remove(tx);
                records.add(remove(seq, NotificationMapper.toCommandItem(current)));
                continue;
            }
            Notification.Builder next = current.toBuilder()
                    .version(current.version() == null ? null : current.version() + 1);
            if (op < 6) {
                next.userId(USERS.get(random.nextInt(USERS.size())));
            } else {
                Status status = Status.values()[random.nextInt(Status.values().length)];
                next.status(status).retryCnt(current.retryCnt() + 1)
                        .failedTs(status == Status.FAILED ? CREATED + seq : null)
                        .errorMsg(status == Status.FAILED ? "error " + seq : null);
            }
            Notification changed = next.build();
            commands.put(tx, changed);
            records.add(modify(seq, NotificationMapper.toCommandItem(current), NotificationMapper.toCommandItem(changed)));
        }
        return new History(records, commands);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aShuffledAndDuplicatedReplayEndsEqualToTheWriteSide(long seed) {
        Random random = new Random(seed);
        History h = history(random);
        List<ChangeRecord> delivered = new ArrayList<>(h.records());
        // duplicates: some records delivered twice or three times
        for (ChangeRecord r : h.records()) {
            for (int copies = random.nextInt(3); copies > 0; copies--) {
                if (random.nextBoolean()) {
                    delivered.add(r);
                }
            }
        }
        Collections.shuffle(delivered, random);

        InMemoryViewStore store = new InMemoryViewStore();
        ProjectionService service = new ProjectionService(store);
        for (int i = 0; i < delivered.size(); ) {
            int size = 1 + random.nextInt(10);
            BatchResult result = service.project(delivered.subList(i, Math.min(delivered.size(), i + size)));
            assertThat(result.failed()).isZero();
            i += size;
        }

        // the live views are exactly the projections of the command items, each with the sequence number of the
        // last record of its item
        Map<String, Map<String, AttributeValue>> expected = new LinkedHashMap<>();
        h.commands().forEach((tx, command) -> {
            ChangeRecord last = lastRecordOf(h.records(), tx);
            expected.put(command.userId() + "/" + ViewKeys.viewSk(command.createdAt(), tx),
                    NotificationMapper.toViewItem(NotificationView.of(command), ViewKeys.padSequence(last.sequenceNumber())));
        });
        assertThat(store.live()).as("history %s", h.records()).isEqualTo(expected);
        // and every other item is a tombstone
        store.all().forEach((id, item) -> {
            if (!expected.containsKey(id)) {
                assertThat(Tombstones.isTombstone(item)).as(id).isTrue();
            }
        });
        // a second replay in another order changes nothing
        Map<String, Map<String, AttributeValue>> before = store.all();
        Collections.shuffle(delivered, random);
        BatchResult again = service.project(delivered);
        assertThat(again.upserted()).isZero();
        assertThat(store.all()).isEqualTo(before);
    }

    private static ChangeRecord lastRecordOf(List<ChangeRecord> records, String tx) {
        ChangeRecord last = null;
        for (ChangeRecord r : records) {
            Map<String, AttributeValue> image = r.newImage().isEmpty() ? r.oldImage() : r.newImage();
            if (image.get("transaction_id").s().equals(tx)) {
                last = r;
            }
        }
        return last;
    }
}
