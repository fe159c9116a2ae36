package io.pushcqrs.projection.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.pushcqrs.projection.app.Changes.command;
import static io.pushcqrs.projection.app.Changes.insert;
import static io.pushcqrs.projection.app.Changes.item;
import static io.pushcqrs.projection.app.Changes.modify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch's records are written concurrently across item keys, in batch order within a key, and the batch's answer is
 * still the failed record that comes first with every record after it.
 */
class ConcurrentProjectionTest {
    final InMemoryViewStore memory = new InMemoryViewStore();
    final List<ProjectionService> services = new ArrayList<>();

    ProjectionService service(ViewStore store, int concurrency) {
        ProjectionService s = new ProjectionService(store, Clock.systemUTC(), concurrency);
        services.add(s);
        return s;
    }

    @AfterEach
    void close() {
        services.forEach(ProjectionService::close);
    }

    @Test
    void twoKeysAreWrittenAtTheSameTime() {
        // tx-a's write waits until tx-b's has started: one record after the other would never get there
        CountDownLatch bStarted = new CountDownLatch(1);
        ViewStore store = new ViewStore() {
            @Override
            public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
                if (viewItem.get(Attr.TRANSACTION_ID).s().equals("tx-b")) {
                    bStarted.countDown();
                } else if (!await(bStarted)) {
                    throw new IllegalStateException("tx-b was not written while tx-a's write was in flight");
                }
                return memory.upsert(viewItem, guard);
            }

            @Override
            public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
                return memory.tombstone(tombstone, guard);
            }
        };

        BatchResult r = service(store, 2).project(List.of(insert(100, item(command("tx-a", "u1").version(1L))),
                insert(200, item(command("tx-b", "u2").version(1L)))));

        assertThat(r.failed()).isZero();
        assertThat(r.upserted()).isEqualTo(2);
    }

    @Test
    void withConcurrencyOneTheRecordsAreWrittenInBatchOrder() {
        List<ChangeRecord> batch = batch(new Random(7), 60, 6);

        service(memory, 1).project(batch);

        List<String> expected = new ArrayList<>();
        batch.forEach(r -> expected.add("upsert " + r.newImage().get(Attr.USER_ID).s() + "/"
                + io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, r.newImage().get(Attr.TRANSACTION_ID).s())));
        assertThat(memory.calls).containsExactlyElementsOf(expected);
    }

    @Test
    void theRecordsOfOneKeyAreWrittenInBatchOrder() {
        // every write of a key must come after the previous record of that key: a store that sees a key's
        // sequence numbers go down records it
        List<String> outOfOrder = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> lastSeq = new LinkedHashMap<>();
        ViewStore store = new ViewStore() {
            @Override
            public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
                String tx = viewItem.get(Attr.TRANSACTION_ID).s();
                synchronized (lastSeq) {
                    String last = lastSeq.put(tx, guard.sourceSeq());
                    if (last != null && last.compareTo(guard.sourceSeq()) > 0) {
                        outOfOrder.add(tx + ": " + guard.sourceSeq() + " after " + last);
                    }
                }
                return memory.upsert(viewItem, guard);
            }

            @Override
            public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
                return memory.tombstone(tombstone, guard);
            }
        };
        ProjectionService service = service(store, 8);

        for (int round = 0; round < 50; round++) {
            lastSeq.clear();
            BatchResult r = service.project(batch(new Random(round), 100, 10));
            assertThat(r.failed()).isZero();
            assertThat(r.upserted() + r.skippedStale()).isEqualTo(100);
        }
        assertThat(outOfOrder).isEmpty();
    }

    @Test
    void theAnswerIsTheLowestFailedRecordOfAllKeysAndEveryRecordAfterIt() {
        // tx-a fails at 500 (index 4), tx-b at 300 (index 2); tx-c never fails
        memory.failWhen(key -> false);
        ViewStore store = new ViewStore() {
            @Override
            public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
                String tx = viewItem.get(Attr.TRANSACTION_ID).s();
                String seq = guard.sourceSeq().replaceFirst("^0+", "");
                if ((tx.equals("tx-a") && seq.equals("500")) || (tx.equals("tx-b") && seq.equals("300"))) {
                    throw new IllegalStateException("injected failure of " + tx + " at " + seq);
                }
                return memory.upsert(viewItem, guard);
            }

            @Override
            public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
                return memory.tombstone(tombstone, guard);
            }
        };
        Map<String, AttributeValue> a1 = item(command("tx-a", "u1").version(1L));
        Map<String, AttributeValue> a2 = item(command("tx-a", "u1").status(Status.DELIVERED).version(2L));
        Map<String, AttributeValue> a3 = item(command("tx-a", "u1").status(Status.FAILED).version(3L));
        Map<String, AttributeValue> b1 = item(command("tx-b", "u2").version(1L));
        Map<String, AttributeValue> b2 = item(command("tx-b", "u2").status(Status.DELIVERED).version(2L));
        Map<String, AttributeValue> b3 = item(command("tx-b", "u2").status(Status.FAILED).version(3L));
        Map<String, AttributeValue> c1 = item(command("tx-c", "u3").version(1L));
        Map<String, AttributeValue> c2 = item(command("tx-c", "u3").status(Status.DELIVERED).version(2L));
        List<ChangeRecord> batch = List.of(insert(100, a1), insert(200, b1), modify(300, b1, b2), insert(400, c1),
                modify(500, a1, a2), modify(600, b2, b3), modify(700, c1, c2), modify(800, a2, a3));

        BatchResult r = service(store, 4).project(batch);

        assertThat(r.failedSequenceNumbers()).containsExactly("300", "400", "500", "600", "700", "800");
        assertThat(r.failure().sequenceNumber()).isEqualTo("300");
        assertThat(r.failure().reason()).contains("tx-b at 300");
        // each key stopped at its own first failure; tx-c went on to its end
        assertThat(memory.get("u1", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-a")).get(Attr.SOURCE_VERSION).n())
                .isEqualTo("1");
        assertThat(memory.get("u2", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-b")).get(Attr.SOURCE_VERSION).n())
                .isEqualTo("1");
        assertThat(memory.get("u3", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-c")).get(Attr.SOURCE_VERSION).n())
                .isEqualTo("2");

        // the mapping resumes at 300: with the failures gone, the redelivery ends where one pass would have
        ProjectionService healthy = service(memory, 4);
        BatchResult again = healthy.project(batch.subList(2, batch.size()));
        assertThat(again.failed()).isZero();
        assertThat(again.skippedStale()).as("tx-c's two records, written before").isEqualTo(2);
        assertThat(memory.get("u1", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-a")).get(Attr.STATUS).s())
                .isEqualTo("FAILED");
        assertThat(memory.get("u2", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-b")).get(Attr.STATUS).s())
                .isEqualTo("FAILED");
        assertThat(memory.get("u3", io.pushcqrs.model.ViewKeys.viewSk(Changes.CREATED, "tx-c")).get(Attr.STATUS).s())
                .isEqualTo("DELIVERED");
    }

    @Test
    void recordsAreGroupedByTheirItemKeyFromKeysOrImages() {
        ChangeRecord withKeys = insert(1, item(command("tx-1", "u1")));
        ChangeRecord sameKeyOtherNumberForm = new ChangeRecord("e", "MODIFY", "2",
                Map.of(Attr.TRANSACTION_ID, AttributeValue.fromS("tx-1"),
                        Attr.CREATED_AT, AttributeValue.fromN(Changes.CREATED + ".0")), null, null);
        ChangeRecord imageOnly = new ChangeRecord("e", "INSERT", "3", null, null, item(command("tx-1", "u1")));
        ChangeRecord none = new ChangeRecord("e", "INSERT", "4", null, null, null);

        assertThat(ProjectionService.groupKey(withKeys, 0))
                .isEqualTo(ProjectionService.groupKey(sameKeyOtherNumberForm, 1))
                .isEqualTo(ProjectionService.groupKey(imageOnly, 2));
        assertThat(ProjectionService.groupKey(none, 3)).isNotEqualTo(ProjectionService.groupKey(none, 4));
        assertThat(ProjectionService.groupKey(insert(5, item(command("tx-2", "u1"))), 5))
                .isNotEqualTo(ProjectionService.groupKey(withKeys, 0));
    }

    @Test
    void concurrencyIsAtLeastOne() {
        assertThatThrownBy(() -> new ProjectionService(memory, Clock.systemUTC(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    /** n records over the given number of keys, each key's versions in order, keys interleaved at random. */
    static List<ChangeRecord> batch(Random random, int n, int keys) {
        Map<String, Integer> versions = new LinkedHashMap<>();
        List<ChangeRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String tx = "tx-" + random.nextInt(keys);
            int version = versions.merge(tx, 1, Integer::sum);
            Map<String, AttributeValue> image = item(command(tx, "u-" + tx).version((long) version)
                    .notificationTitle("v" + version));
            out.add(insert(1_000 + i, image));
        }
        return out;
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
