package io.pushcqrs.projection.adapter;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.mapping.Tombstones;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import io.pushcqrs.projection.app.Changes;
import io.pushcqrs.projection.app.WriteGuard;
import io.pushcqrs.projection.app.WriteOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The condition expression against a real DynamoDB API (moto). */
@Tag(Tiers.MOTO)
class DynamoDbViewStoreTest {
    static final String TABLE = "view-store-test-notification-records";
    static final AtomicInteger TX = new AtomicInteger();
    static final long DELETED_AT = 1_700_000_100_000L;

    static DynamoDbClient ddb;
    static DynamoDbViewStore store;

    @BeforeAll
    static void tables() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createNotificationTable(ddb, TABLE);
        store = new DynamoDbViewStore(ddb, TABLE);
    }

    @AfterAll
    static void close() {
        ddb.close();
    }

    /** The view item of a fresh transaction, with the given status, projected from stream sequence seq. */
    static Map<String, AttributeValue> view(String tx, Status status, Long version, Long seq) {
        return NotificationMapper.toViewItem(
                NotificationView.of(Changes.command(tx, "u1").status(status).version(version).build()),
                seq == null ? null : ViewKeys.padSequence(seq.toString()));
    }

    static WriteGuard guard(long seq, Long version) {
        return new WriteGuard(ViewKeys.padSequence(Long.toString(seq)), version);
    }

    static Map<String, AttributeValue> key(String tx) {
        return NotificationMapper.viewKey("u1", Changes.CREATED, tx);
    }

    static Map<String, AttributeValue> stored(String tx) {
        Map<String, AttributeValue> item = ddb.getItem(GetItemRequest.builder().tableName(TABLE).key(key(tx))
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    static String newTx() {
        return "tx-" + TX.incrementAndGet();
    }

    @Test
    void aLowerOrEqualSequenceNeverOverwritesAndAHigherOneDoes() {
        String tx = newTx();
        assertThat(store.upsert(view(tx, Status.SENT, 1L, 5L), guard(5, 1L))).isEqualTo(WriteOutcome.APPLIED);

        assertThat(store.upsert(view(tx, Status.FAILED, 9L, 3L), guard(3, 9L))).isEqualTo(WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("SENT");

        assertThat(store.upsert(view(tx, Status.FAILED, 9L, 5L), guard(5, 9L))).isEqualTo(WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("SENT");

        assertThat(store.upsert(view(tx, Status.DELIVERED, 2L, 7L), guard(7, 2L))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("DELIVERED");
        assertThat(stored(tx).get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence("7"));
        assertThat(stored(tx).get(Attr.SOURCE_VERSION).n()).isEqualTo("2");
    }

    @Test
    void theUpsertReplacesTheWholeItem() {
        String tx = newTx();
        store.upsert(view(tx, Status.FAILED, 1L, 5L), guard(5, 1L));
        assertThat(stored(tx)).containsKeys(Attr.FAILURE_STATUS, Attr.FAILURE_SK);

        store.upsert(view(tx, Status.DELIVERED, 2L, 6L), guard(6, 2L));

        assertThat(stored(tx)).doesNotContainKeys(Attr.FAILURE_STATUS, Attr.FAILURE_SK);
    }

    static Map<String, AttributeValue> tombstone(String tx, long seq) {
        return Tombstones.item("u1", Changes.CREATED, tx, ViewKeys.padSequence(Long.toString(seq)), DELETED_AT);
    }

    @Test
    void theTombstoneIsGuardedTheSameWayAndReplacesTheView() {
        String tx = newTx();
        store.upsert(view(tx, Status.FAILED, 1L, 5L), guard(5, 1L));

        assertThat(store.tombstone(tombstone(tx, 3), guard(3, null))).isEqualTo(WriteOutcome.STALE);
        assertThat(store.tombstone(tombstone(tx, 5), guard(5, 2L))).isEqualTo(WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("FAILED");

        assertThat(store.tombstone(tombstone(tx, 7), guard(7, 2L))).isEqualTo(WriteOutcome.APPLIED);
        // the whole item is replaced: key, bookkeeping and the tombstone's own attributes, nothing of the view
        assertThat(stored(tx)).containsOnlyKeys(Attr.USER_ID, Attr.VIEW_SK, Attr.SOURCE_SEQ, Attr.DELETED,
                Attr.DELETED_AT, Attr.EXPIRES_AT);
        assertThat(stored(tx).get(Attr.SOURCE_SEQ).s()).isEqualTo(ViewKeys.padSequence("7"));
        assertThat(stored(tx).get(Attr.EXPIRES_AT).n()).isEqualTo(Long.toString(DELETED_AT / 1000 + 48 * 3600));

        // a redelivered REMOVE is refused; a tombstone over a tombstone of an older change is not a delete
        assertThat(store.tombstone(tombstone(tx, 7), guard(7, 2L))).isEqualTo(WriteOutcome.STALE);
        assertThat(store.tombstone(tombstone(tx, 8), guard(8, 2L))).isEqualTo(WriteOutcome.ABSENT);
        // an older record of the deleted item (its INSERT) is refused: the view does not come back
        assertThat(store.upsert(view(tx, Status.SENT, 1L, 4L), guard(4, 1L))).isEqualTo(WriteOutcome.STALE);
        assertThat(Tombstones.isTombstone(stored(tx))).isTrue();
        // the first record of a new item at the same key (version 1 again) is admitted
        assertThat(store.upsert(view(tx, Status.SENT, 1L, 9L), guard(9, 1L))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(stored(tx)).doesNotContainKeys(Attr.DELETED, Attr.DELETED_AT, Attr.EXPIRES_AT);
        // and a replayed older REMOVE does not delete it
        assertThat(store.tombstone(tombstone(tx, 7), guard(7, 2L))).isEqualTo(WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("SENT");
    }

    @Test
    void aTombstoneWhereNothingWasIsWrittenAndNotCountedAsADelete() {
        String tx = newTx();
        assertThat(store.tombstone(tombstone(tx, 7), guard(7, 2L))).isEqualTo(WriteOutcome.ABSENT);
        assertThat(Tombstones.isTombstone(stored(tx))).isTrue();
    }

    @Test
    void sequenceNumbersOfDifferentLengthsCompareNumerically() {
        String tx = newTx();
        store.upsert(view(tx, Status.SENT, null, 99L), guard(99, null));
        assertThat(store.upsert(view(tx, Status.DELIVERED, null, 100L), guard(100, null))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(store.upsert(view(tx, Status.FAILED, null, 99L), guard(99, null))).isEqualTo(WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS).s()).isEqualTo("DELIVERED");
    }

    /**
     * The expression and {@link WriteGuard#admits} agree on every kind of stored view: with or without
     * source_seq and source_version, for versioned and versionless changes, lower, equal and higher.
     */
    @ParameterizedTest(name = "stored seq={0} version={1}; change seq={2} version={3}")
    @CsvSource({
            "-, -, -, 5, 1", // no item
            "5, 2, -, 3, 9", "5, 2, -, 5, 9", "5, 2, -, 7, 1", "5, -, -, 7, -", "5, -, -, 5, -", "5, 2, -, 4, -",
            "-, 3, -, 1, 2", "-, 3, -, 1, 3", "-, 3, -, 1, 4", "-, 3, -, 1, -",
            "-, -, x, 1, 1", "-, -, x, 1, -", // a view with neither (written by another tool)
            "5, -, t, 3, 9", "5, -, t, 5, 1", "5, -, t, 7, 1", "5, -, t, 7, -", "5, -, t, 4, -", // a tombstone
    })
    void theConditionExpressionMatchesTheGuardRule(String seq, String version, String plain, String newSeq, String newVersion) {
        String tx = newTx();
        Map<String, AttributeValue> existing = null;
        if ("t".equals(plain)) {
            existing = tombstone(tx, Long.parseLong(seq));
            ddb.putItem(PutItemRequest.builder().tableName(TABLE).item(existing).build());
        } else if (!"-".equals(seq) || !"-".equals(version) || "x".equals(plain)) {
            existing = new LinkedHashMap<>(view(tx, Status.SENT, "-".equals(version) ? null : Long.valueOf(version),
                    "-".equals(seq) ? null : Long.valueOf(seq)));
            ddb.putItem(PutItemRequest.builder().tableName(TABLE).item(existing).build());
        }
        WriteGuard guard = guard(Long.parseLong(newSeq), "-".equals(newVersion) ? null : Long.valueOf(newVersion));
        boolean expected = guard.admits(existing);

        WriteOutcome upsert = store.upsert(view(tx, Status.DELIVERED, guard.sourceVersion(), Long.valueOf(newSeq)), guard);
        assertThat(upsert).isEqualTo(expected ? WriteOutcome.APPLIED : WriteOutcome.STALE);
        assertThat(stored(tx).get(Attr.STATUS) == null ? null : stored(tx).get(Attr.STATUS).s())
                .isEqualTo(expected ? "DELIVERED" : "t".equals(plain) ? null : "SENT");

        if (existing != null) {
            boolean wasView = !Tombstones.isTombstone(existing);
            ddb.putItem(PutItemRequest.builder().tableName(TABLE).item(existing).build());
            WriteOutcome tombstoned = store.tombstone(tombstone(tx, Long.parseLong(newSeq)), guard);
            assertThat(tombstoned).isEqualTo(!expected ? WriteOutcome.STALE
                    : wasView ? WriteOutcome.APPLIED : WriteOutcome.ABSENT);
            assertThat(stored(tx).get(Attr.SOURCE_SEQ)).isEqualTo(expected
                    ? AttributeValue.fromS(ViewKeys.padSequence(newSeq)) : existing.get(Attr.SOURCE_SEQ));
        }
    }

    @Test
    void otherErrorsAreThrown() {
        DynamoDbViewStore missing = new DynamoDbViewStore(ddb, "view-store-test-no-such-table");
        String tx = newTx();
        // classified, with the SDK's exception as the cause: a missing table is the deployment's fault, not the record's
        assertThatThrownBy(() -> missing.upsert(view(tx, Status.SENT, 1L, 5L), guard(5, 1L)))
                .isInstanceOfSatisfying(io.pushcqrs.lambda.aws.AwsCallException.class, e -> assertThat(e.failure().kind())
                        .isEqualTo(io.pushcqrs.lambda.aws.AwsFailure.Kind.MISCONFIGURED))
                .hasCauseInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("dynamodb:PutItem on table/view-store-test-no-such-table failed: ResourceNotFoundException");
        assertThatThrownBy(() -> missing.tombstone(tombstone(tx, 5), guard(5, 1L)))
                .isInstanceOf(io.pushcqrs.lambda.aws.AwsCallException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }
}
