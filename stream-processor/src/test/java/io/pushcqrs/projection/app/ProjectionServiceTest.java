package io.pushcqrs.projection.app;

import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.Tombstones;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static io.pushcqrs.projection.app.Changes.command;
import static io.pushcqrs.projection.app.Changes.insert;
import static io.pushcqrs.projection.app.Changes.item;
import static io.pushcqrs.projection.app.Changes.modify;
import static io.pushcqrs.projection.app.Changes.remove;
import static io.pushcqrs.projection.app.Changes.with;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectionServiceTest {
    static final String SK = ViewKeys.viewSk(CREATED, "tx-1");
    static final long DELETED_AT = CREATED + 1_000_000;

    final InMemoryViewStore store = new InMemoryViewStore();
    final ProjectionService service = new ProjectionService(store);

    final Map<String, AttributeValue> v1 = item(command("tx-1", "u1").version(1L));
    final Map<String, AttributeValue> v2 = item(command("tx-1", "u1").status(Status.DELIVERED).deliveredTs(CREATED + 9).version(2L));
    final Map<String, AttributeValue> v3 = item(command("tx-1", "u1").status(Status.FAILED).errorMsg("gone")
            .failedTs(CREATED + 20).version(3L));

    Map<String, AttributeValue> view() {
        return store.get("u1", SK);
    }

    static String seq(long s) {
        return ViewKeys.padSequence(Long.toString(s));
    }

    @Test
    void insertWritesTheViewWithItsKeysSourceSeqAndSourceVersion() {
        BatchResult r = service.project(List.of(insert(100, v1)));

        assertThat(r.upserted()).isEqualTo(1);
        assertThat(r.failed()).isZero();
        assertThat(r.hasFailure()).isFalse();
        Map<String, AttributeValue> view = view();
        assertThat(view.get(Attr.USER_ID).s()).isEqualTo("u1");
        assertThat(view.get(Attr.VIEW_SK).s()).isEqualTo(SK);
        assertThat(view.get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(100)).hasSize(40);
        assertThat(view.get(Attr.SOURCE_VERSION).n()).isEqualTo("1");
        assertThat(view.get(Attr.STATUS).s()).isEqualTo("SENT");
        assertThat(view).doesNotContainKeys(Attr.VERSION, Attr.FAILURE_STATUS, Attr.FAILURE_SK);
    }

    @Test
    void theChangesOfACreateClaimAreSkippedAndTheRecordsAroundThemProjected() {
        Map<String, AttributeValue> claim = new java.util.LinkedHashMap<>(
                io.pushcqrs.model.mapping.NotificationMapper.commandKey("tx-1", io.pushcqrs.model.CreateClaim.CREATED_AT));
        claim.put(io.pushcqrs.model.CreateClaim.CLAIMED_CREATED_AT, AttributeValue.fromN(Long.toString(CREATED)));

        BatchResult r = service.project(List.of(insert(100, claim), insert(101, v1), remove(102, claim),
                modify(103, v1, v2)));

        assertThat(r.hasFailure()).isFalse();
        assertThat(r.failed()).isZero();
        assertThat(r.upserted()).isEqualTo(2);
        assertThat(r.deleted()).isZero();
        assertThat(store.size()).isEqualTo(1);
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
    }

    @Test
    void modifyReplacesTheWholeView() {
        service.project(List.of(insert(100, v1), modify(200, v1, v3)));
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
        assertThat(view().get(Attr.FAILURE_STATUS).s()).startsWith("FAILED#");

        BatchResult r = service.project(List.of(modify(300, v3, with(v2, Attr.VERSION, AttributeValue.fromN("4")))));

        assertThat(r.upserted()).isEqualTo(1);
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
        assertThat(view()).doesNotContainKeys(Attr.FAILURE_STATUS, Attr.FAILURE_SK, Attr.ERROR_MSG, Attr.FAILED_TS);
        assertThat(view().get(Attr.SOURCE_VERSION).n()).isEqualTo("4");
    }

    @Test
    void aDuplicateRecordIsANoOp() {
        ChangeRecord record = insert(100, v1);
        service.project(List.of(record));
        Map<String, AttributeValue> before = view();

        BatchResult r = service.project(List.of(record));

        assertThat(r.upserted()).isZero();
        assertThat(r.skippedStale()).isEqualTo(1);
        assertThat(r.skips()).containsExactly(new BatchResult.Skip("ev-100", "100", "upsert"));
        assertThat(r.failed()).isZero();
        assertThat(view()).isEqualTo(before);
    }

    @Test
    void aReplayedOlderRecordNeverOverwritesANewerView() {
        service.project(List.of(insert(100, v1), modify(200, v1, v2), modify(300, v2, v3)));

        BatchResult r = service.project(List.of(modify(200, v1, v2), insert(100, v1)));

        assertThat(r.skippedStale()).isEqualTo(2);
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
        assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(300));
    }

    @Test
    void outOfOrderRecordsKeepTheHighestSequence() {
        BatchResult r = service.project(List.of(modify(300, v2, v3), modify(200, v1, v2)));

        assertThat(r.upserted()).isEqualTo(1);
        assertThat(r.skippedStale()).isEqualTo(1);
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
    }

    @Test
    void sequenceNumbersCompareAsNumbersNotAsStrings() {
        // "99" > "100" as strings; padded they order numerically.
        service.project(List.of(modify(99, v1, v2), modify(100, v2, v3)));
        assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
    }

    @Nested
    class VersionlessItems {
        final Map<String, AttributeValue> cliPut = item(command("tx-1", "u1"));
        final Map<String, AttributeValue> cliUpdate = item(command("tx-1", "u1").status(Status.DELIVERED));

        @Test
        void areProjectedWithoutSourceVersion() {
            BatchResult r = service.project(List.of(insert(100, cliPut)));

            assertThat(r.upserted()).isEqualTo(1);
            assertThat(view()).doesNotContainKey(Attr.SOURCE_VERSION);
            assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(100));
        }

        @Test
        void areGuardedBySequenceNumber() {
            service.project(List.of(insert(100, cliPut), modify(200, cliPut, cliUpdate)));
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");

            BatchResult replay = service.project(List.of(insert(100, cliPut), modify(200, cliPut, cliUpdate)));

            assertThat(replay.skippedStale()).isEqualTo(2);
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
        }

        @Test
        void replaceARebuildViewWhateverItsVersion() {
            store.putRaw(with(io.pushcqrs.model.mapping.NotificationMapper.toViewItem(
                    io.pushcqrs.model.NotificationView.of(command("tx-1", "u1").version(7L).build()), null),
                    Attr.SOURCE_SEQ, null));

            BatchResult r = service.project(List.of(modify(100, cliPut, cliUpdate)));

            assertThat(r.upserted()).isEqualTo(1);
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
            assertThat(view()).doesNotContainKey(Attr.SOURCE_VERSION);
        }
    }

    @Nested
    class RebuildViews {
        /** A view as a rebuild tool writes it: source_version, no source_seq. */
        void rebuiltAt(long version) {
            store.putRaw(io.pushcqrs.model.mapping.NotificationMapper.toViewItem(
                    io.pushcqrs.model.NotificationView.of(command("tx-1", "u1").status(Status.DELIVERED)
                            .version(version).build()), null));
            assertThat(view()).doesNotContainKey(Attr.SOURCE_SEQ);
        }

        @Test
        void areReplacedOnlyByANewerVersion() {
            rebuiltAt(2);

            BatchResult older = service.project(List.of(insert(100, v1), modify(200, v1, v2)));
            assertThat(older.skippedStale()).isEqualTo(2);
            assertThat(view()).doesNotContainKey(Attr.SOURCE_SEQ);

            BatchResult newer = service.project(List.of(modify(300, v2, v3)));
            assertThat(newer.upserted()).isEqualTo(1);
            assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(300));
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
        }

        @Test
        void areReplacedByTheTombstoneOfTheRemoveOfTheVersionTheyShow() {
            rebuiltAt(3);

            BatchResult r = service.project(List.of(remove(400, v3)));

            assertThat(r.deleted()).isEqualTo(1);
            assertThat(Tombstones.isTombstone(view())).isTrue();
        }

        @Test
        void surviveTheRemoveOfAnOlderVersion() {
            // a rebuild read version 5 of the item; a late REMOVE of version 3 (an earlier lifetime) is older
            rebuiltAt(5);

            BatchResult r = service.project(List.of(remove(400, v3)));

            assertThat(r.skippedStale()).isEqualTo(1);
            assertThat(Tombstones.isTombstone(view())).isFalse();
        }

        @Test
        void thatTheRemoveTombstonedLetTheNextLifetimeIn() {
            // the rebuild view of version 3 is deleted; the item is created again: versions restart at 1
            rebuiltAt(3);
            service.project(List.of(remove(400, v3)));

            BatchResult r = service.project(List.of(insert(500, v1), modify(600, v1, v2)));

            assertThat(r.upserted()).isEqualTo(2);
            assertThat(view().get(Attr.SOURCE_VERSION).n()).isEqualTo("2");
            assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(600));
        }
    }

    @Nested
    class Remove {
        @Test
        void replacesTheViewOfTheOldImageWithATombstone() {
            service.project(List.of(insert(100, v1)));

            BatchResult r = service.project(List.of(remove(200, v1).withChangedAt(DELETED_AT)));

            assertThat(r.deleted()).isEqualTo(1);
            assertThat(store.live()).isEmpty();
            assertThat(store.calls).containsExactly("upsert u1/" + SK, "tombstone u1/" + SK);
            assertThat(view()).isEqualTo(Map.of(
                    Attr.USER_ID, AttributeValue.fromS("u1"),
                    Attr.VIEW_SK, AttributeValue.fromS(SK),
                    Attr.SOURCE_SEQ, AttributeValue.fromS(seq(200)),
                    Attr.DELETED, AttributeValue.fromBool(true),
                    Attr.DELETED_AT, AttributeValue.fromN(Long.toString(DELETED_AT)),
                    Attr.EXPIRES_AT, AttributeValue.fromN(Long.toString(DELETED_AT / 1000 + 48 * 3600))));
        }

        @Test
        void aTombstoneWithoutStreamTimeRecordsTheProcessorsClock() {
            ProjectionService clocked = new ProjectionService(store,
                    java.time.Clock.fixed(java.time.Instant.ofEpochMilli(DELETED_AT), java.time.ZoneOffset.UTC));

            clocked.project(List.of(remove(200, v1)));

            assertThat(view().get(Attr.DELETED_AT).n()).isEqualTo(Long.toString(DELETED_AT));
        }

        @Test
        void aReplayedInsertOfTheDeletedItemDoesNotBringItsViewBack() {
            service.project(List.of(insert(100, v1), modify(200, v1, v2), remove(300, v2)));

            BatchResult r = service.project(List.of(insert(100, v1), modify(200, v1, v2)));

            assertThat(r.upserted()).isZero();
            assertThat(r.skippedStale()).isEqualTo(2);
            assertThat(store.live()).isEmpty();
        }

        @Test
        void deleteThenCreateAgainThenPatchIsProjected() {
            // versions restart at 1 in the new lifetime; its sequence numbers are higher than the REMOVE's
            Map<String, AttributeValue> again1 = item(command("tx-1", "u1").marketingId("camp-2").version(1L));
            Map<String, AttributeValue> again2 = item(command("tx-1", "u1").marketingId("camp-2")
                    .status(Status.DELIVERED).deliveredTs(CREATED + 99).version(2L));
            service.project(List.of(insert(100, v1), modify(200, v1, v2), modify(300, v2, v3), remove(400, v3)));

            BatchResult r = service.project(List.of(insert(500, again1), modify(600, again1, again2)));

            assertThat(r.upserted()).isEqualTo(2);
            assertThat(r.skippedStale()).isZero();
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
            assertThat(view().get(Attr.MARKETING_ID).s()).isEqualTo("camp-2");
            assertThat(view().get(Attr.SOURCE_VERSION).n()).isEqualTo("2");
            assertThat(view()).doesNotContainKeys(Attr.DELETED, Attr.EXPIRES_AT);

            // a redelivery of both lifetimes, in any order, changes nothing
            Map<String, Map<String, AttributeValue>> before = store.all();
            BatchResult replay = service.project(List.of(modify(600, again1, again2), remove(400, v3), insert(100, v1),
                    insert(500, again1), modify(300, v2, v3)));
            assertThat(replay.upserted()).isZero();
            assertThat(store.all()).isEqualTo(before);
        }

        @Test
        void aReplayedRemoveDoesNotDeleteALaterReinsert() {
            service.project(List.of(insert(100, v1), remove(200, v1), insert(300, v1)));
            assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(300));

            BatchResult r = service.project(List.of(remove(200, v1)));

            assertThat(r.skippedStale()).isEqualTo(1);
            assertThat(store.live()).containsOnlyKeys("u1/" + SK);
        }

        @Test
        void aRemoveOlderThanTheViewIsANoOp() {
            service.project(List.of(modify(300, v2, v3)));

            BatchResult r = service.project(List.of(remove(200, v2)));

            assertThat(r.skippedStale()).isEqualTo(1);
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("FAILED");
        }

        @Test
        void ofAnItemWithoutViewLeavesATombstone() {
            BatchResult r = service.project(List.of(remove(200, v1)));

            assertThat(r.failed()).isZero();
            assertThat(r.deleted()).as("nothing was there to delete").isZero();
            assertThat(r.skippedStale()).isZero();
            assertThat(store.calls).containsExactly("tombstone u1/" + SK);
            // so that the late INSERT of the deleted item is refused
            BatchResult late = service.project(List.of(insert(100, v1)));
            assertThat(late.skippedStale()).isEqualTo(1);
            assertThat(store.live()).isEmpty();
        }
    }

    @Nested
    class UserIdChange {
        final Map<String, AttributeValue> moved = item(command("tx-1", "u2").version(2L));

        @Test
        void leavesATombstoneAtTheOldKeyAndWritesTheNewOne() {
            service.project(List.of(insert(100, v1)));

            BatchResult r = service.project(List.of(modify(200, v1, moved)));

            assertThat(r.deleted()).isEqualTo(1);
            assertThat(r.upserted()).isEqualTo(1);
            assertThat(Tombstones.isTombstone(store.get("u1", SK))).isTrue();
            assertThat(store.get("u1", SK).get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(200));
            assertThat(store.get("u2", SK).get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(200));
            assertThat(store.live()).containsOnlyKeys("u2/" + SK);
            assertThat(store.calls).containsExactly("upsert u1/" + SK, "tombstone u1/" + SK, "upsert u2/" + SK);
            // a replayed INSERT at the old user does not bring the old view back
            service.project(List.of(insert(100, v1)));
            assertThat(store.live()).containsOnlyKeys("u2/" + SK);
        }

        @Test
        void guardsTheOldKeyDelete() {
            // u1's view already holds a later change (the item moved back to u1 at seq 300)
            service.project(List.of(insert(100, v1), modify(200, v1, moved),
                    modify(300, moved, item(command("tx-1", "u1").version(3L)))));
            assertThat(store.get("u1", SK).get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(300));

            BatchResult replay = service.project(List.of(modify(200, v1, moved)));

            assertThat(store.get("u1", SK).get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(300));
            assertThat(replay.skips()).extracting(BatchResult.Skip::operation).contains("delete");
            assertThat(Tombstones.isTombstone(store.get("u1", SK))).isFalse();
        }

        @Test
        void anInOrderRedeliveryOfTheWholeBatchConverges() {
            List<ChangeRecord> batch = List.of(insert(100, v1), modify(200, v1, moved),
                    modify(300, moved, item(command("tx-1", "u1").version(3L))), remove(400, item(command("tx-1", "u1").version(3L))),
                    insert(500, v1));
            service.project(batch);
            Map<String, Map<String, AttributeValue>> once = store.all();

            service.project(batch);

            assertThat(store.all()).isEqualTo(once);
            assertThat(store.live()).containsOnlyKeys("u1/" + SK);
            assertThat(Tombstones.isTombstone(once.get("u2/" + SK))).isTrue();
        }

        @Test
        void anOldImageWithoutUsableUserIdHasNoOldViewToDelete() {
            Map<String, AttributeValue> noUser = with(v1, Attr.USER_ID, null);
            Map<String, AttributeValue> numericUser = with(v1, Attr.USER_ID, AttributeValue.fromN("5"));

            BatchResult r = service.project(List.of(modify(200, noUser, moved), modify(300, numericUser, moved)));

            assertThat(r.failed()).isZero();
            assertThat(r.deleted()).isZero();
            assertThat(store.calls).containsExactly("upsert u2/" + SK, "upsert u2/" + SK);
        }
    }

    @Test
    void emptyAndNullValuesAreLeftOutAndNumbersStayExact() {
        Map<String, AttributeValue> image = with(with(with(v1,
                Attr.NOTIFICATION_TITLE, AttributeValue.fromS("")),
                Attr.ERROR_MSG, AttributeValue.fromNul(true)),
                Attr.PAYLOAD, AttributeValue.fromM(Map.of(
                        "price", AttributeValue.fromN("12345678901234567890.1234567890"),
                        "big", AttributeValue.fromN("98765432109876543210"))));

        service.project(List.of(insert(100, image)));

        assertThat(view()).doesNotContainKeys(Attr.NOTIFICATION_TITLE, Attr.ERROR_MSG);
        Map<String, AttributeValue> payload = view().get(Attr.PAYLOAD).m();
        assertThat(payload.get("price").n()).isEqualTo("12345678901234567890.1234567890");
        assertThat(payload.get("big").n()).isEqualTo("98765432109876543210");
    }

    @Test
    void anEmptyBatchDoesNothing() {
        assertThat(service.project(List.of())).isEqualTo(BatchResult.empty());
        assertThat(service.project(null)).isEqualTo(BatchResult.empty());
        assertThat(store.calls).isEmpty();
    }

    @Nested
    class PoisonRecords {

        static Stream<Arguments> poison() {
            Map<String, AttributeValue> good = item(command("tx-p", "u9").version(1L));
            return Stream.of(
                    Arguments.of("unknown enum", insert(200, with(good, Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"))),
                            "platform: unknown value 'BLACKBERRY'"),
                    Arguments.of("wrong type", insert(200, with(good, Attr.CREATED_AT, AttributeValue.fromS("yesterday"))),
                            "created_at: expected a number (N) but was S"),
                    Arguments.of("missing key attribute", insert(200, with(good, Attr.USER_ID, null)),
                            "user_id: is required"),
                    Arguments.of("not an integer", modify(200, good, with(good, Attr.RETRY_CNT, AttributeValue.fromN("1.5"))),
                            "retry_cnt"),
                    Arguments.of("no NewImage", new ChangeRecord("ev-200", "INSERT", "200", null, null, null),
                            "NewImage: is missing"),
                    Arguments.of("no OldImage", new ChangeRecord("ev-200", "REMOVE", "200", null, null, null),
                            "OldImage: is missing"),
                    Arguments.of("REMOVE without user_id", remove(200, with(good, Attr.USER_ID, null)),
                            "user_id: is required"),
                    Arguments.of("unknown event", new ChangeRecord("ev-200", "TTL", "200", null, null, good),
                            "eventName: 'TTL' is not INSERT, MODIFY or REMOVE"),
                    Arguments.of("bad sequence number", new ChangeRecord("ev-200", "INSERT", "12a", null, null, good),
                            "SequenceNumber: not a stream sequence number: 12a"),
                    Arguments.of("missing sequence number", new ChangeRecord("ev-200", "INSERT", null, null, null, good),
                            "SequenceNumber"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("poison")
        void stopsTheBatchAndReportsItAndEveryLaterRecord(String name, ChangeRecord poison, String reason) {
            Map<String, AttributeValue> other = item(command("tx-2", "u1").version(1L));
            List<ChangeRecord> batch = List.of(insert(100, v1), poison, insert(300, other), modify(400, v1, v2));

            BatchResult r = service.project(batch);

            List<String> expected = new ArrayList<>();
            expected.add(poison.sequenceNumber() == null ? "" : poison.sequenceNumber());
            expected.addAll(List.of("300", "400"));
            assertThat(r.failedSequenceNumbers()).containsExactlyElementsOf(expected);
            assertThat(r.failed()).isEqualTo(3);
            assertThat(r.records()).isEqualTo(4);
            assertThat(r.upserted()).isEqualTo(3);
            assertThat(r.failure().eventId()).isEqualTo("ev-200");
            assertThat(r.failure().reason()).startsWith("mapping error: ").contains(reason);
            // the poison record wrote nothing; the other items' records (before and after it) are written, each
            // item's in order; their redelivery from 200 on is refused by the guard
            assertThat(store.calls).filteredOn(c -> c.contains("tx-1")).containsExactly("upsert u1/" + SK, "upsert u1/" + SK);
            assertThat(store.calls).filteredOn(c -> c.contains("tx-2")).hasSize(1);
            assertThat(store.calls).hasSize(3);
            assertThat(view().get(Attr.SOURCE_SEQ).s()).isEqualTo(seq(400));
            BatchResult redelivered = service.project(batch.subList(1, batch.size()));
            assertThat(redelivered.upserted()).isZero();
            assertThat(redelivered.skippedStale()).isEqualTo(2);
        }

        @Test
        void aPoisonFirstRecordFailsTheWholeBatch() {
            BatchResult r = service.project(List.of(insert(100, with(v1, Attr.STATUS, AttributeValue.fromS("LOST"))),
                    insert(200, v1)));

            assertThat(r.failedSequenceNumbers()).containsExactly("100", "200");
            assertThat(store.calls).isEmpty();
        }

        @Test
        void aStoreErrorOtherThanAFailedConditionStopsTheBatchToo() {
            store.failWhen(key -> key.get(Attr.USER_ID).s().equals("u2"));
            Map<String, AttributeValue> other = item(command("tx-2", "u2").version(1L));

            BatchResult r = service.project(List.of(insert(100, v1), insert(200, other), modify(300, v1, v2)));

            assertThat(r.failedSequenceNumbers()).containsExactly("200", "300");
            assertThat(r.failure().reason()).isEqualTo(
                    "IllegalStateException: injected store failure (ProvisionedThroughputExceeded)");
            // tx-1 is another item: its MODIFY after the failed record is written (and refused when redelivered)
            assertThat(view().get(Attr.STATUS).s()).isEqualTo("DELIVERED");
        }

        @Test
        void aFailedUpsertAfterTheOldKeyDeleteIsRetriedSafely() {
            Map<String, AttributeValue> moved = item(command("tx-1", "u2").version(2L));
            service.project(List.of(insert(100, v1)));
            store.failWhen(key -> key.get(Attr.USER_ID).s().equals("u2"));

            BatchResult failed = service.project(List.of(modify(200, v1, moved)));
            assertThat(failed.deleted()).isEqualTo(1);
            assertThat(failed.failedSequenceNumbers()).containsExactly("200");

            store.failWhen(key -> false);
            BatchResult retried = service.project(List.of(modify(200, v1, moved)));

            assertThat(retried.failed()).isZero();
            assertThat(retried.deleted()).as("the old view is already a tombstone").isZero();
            assertThat(retried.upserted()).isEqualTo(1);
            assertThat(store.live()).containsOnlyKeys("u2/" + SK);
        }
    }
}
