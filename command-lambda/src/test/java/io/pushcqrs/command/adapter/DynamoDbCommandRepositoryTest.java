package io.pushcqrs.command.adapter;

import org.junit.jupiter.api.Tag;
import io.pushcqrs.awstest.Tiers;
import io.pushcqrs.command.app.CommandRepository;
import io.pushcqrs.command.app.CommandRepository.ClaimTaken;
import io.pushcqrs.command.app.CommandRepository.Claimed;
import io.pushcqrs.command.app.CommandRepository.KeyTaken;
import io.pushcqrs.command.app.CommandRepository.Deleted;
import io.pushcqrs.command.app.CommandRepository.DeleteOutcome;
import io.pushcqrs.command.app.CommandRepository.Missing;
import io.pushcqrs.command.app.CommandRepository.Stale;
import io.pushcqrs.command.app.CommandRepository.Updated;
import io.pushcqrs.command.app.CommandRepository.UpdateOutcome;
import io.pushcqrs.command.app.CommandService;
import io.pushcqrs.command.app.CreateResult;
import io.pushcqrs.command.app.StatusChange;
import io.pushcqrs.command.app.StoredItem;
import io.pushcqrs.model.CreateClaim;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.mapping.NotificationMapper;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The adapter against moto's DynamoDB (a real DynamoDB API: conditions, return values, queries). */
@Tag(Tiers.MOTO)
class DynamoDbCommandRepositoryTest {
    static final String TABLE = "adapter-test-command-records";
    static DynamoDbClient ddb;
    static DynamoDbCommandRepository repo;

    @BeforeAll
    static void createTable() {
        ddb = LocalAws.dynamoDb(MotoServer.shared().endpoint());
        Tables.createCommandTable(ddb, TABLE);
        repo = new DynamoDbCommandRepository(ddb, TABLE);
    }

    @AfterAll
    static void dropTable() {
        ddb.deleteTable(b -> b.tableName(TABLE));
        ddb.close();
    }

    static Notification.Builder item(String tx, long createdAt) {
        return Notification.builder().transactionId(tx).createdAt(createdAt).userId("user-1").platform(Platform.ANDROID)
                .deviceToken("tok").status(Status.SENT).version(1L);
    }

    static StatusChange change(Status status, long version) {
        return new StatusChange(status, version, null, null, null, null, null, null, null, null);
    }

    @Test
    void insertThenFindRoundTripsEveryField() {
        Notification n = item("rt-1", 42L).marketingId("mkt").notificationTitle("Hi").notificationBody("Body")
                .payload(Json.readTree("{\"deep\":{\"list\":[1,2.5,\"x\",true,null]},\"big\":12345678901234567890.123}"))
                .errorMsg("e").apId("ap").snsId("sns").retryCnt(3).sendTs(1L).deliveredTs(2L).failedTs(3L).build();

        assertThat(repo.insert(n)).isTrue();

        Notification read = repo.find("rt-1", 42L).orElseThrow().notification();
        assertThat(read.toBuilder().payload(null).build()).isEqualTo(n.toBuilder().payload(null).build());
        assertThat(read.payload().get("big").decimalValue()).isEqualByComparingTo("12345678901234567890.123");
        assertThat(read.payload().get("deep").get("list")).hasSize(5);
        assertThat(repo.find("rt-1", 43L)).isEmpty();
        assertThat(repo.find("nobody", 42L)).isEmpty();
    }

    @Test
    void insertOfAnExistingKeyIsRefusedAndLeavesTheItem() {
        assertThat(repo.insert(item("dup-1", 1L).build())).isTrue();
        assertThat(repo.insert(item("dup-1", 1L).userId("intruder").build())).isFalse();
        assertThat(repo.find("dup-1", 1L).orElseThrow().notification().userId()).isEqualTo("user-1");
        // another created_at of the same transaction is another item
        assertThat(repo.insert(item("dup-1", 2L).build())).isTrue();
    }

    @Test
    void concurrentInsertsOfTheSameKeyHaveOneWinner() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String user = "user-" + i;
                Callable<Boolean> put = () -> {
                    go.await();
                    return repo.insert(item("race-1", 7L).userId(user).build());
                };
                results.add(pool.submit(put));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(repo.findAll("race-1")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findAllReturnsEveryItemOldestFirst() {
        repo.insert(item("all-1", 30L).build());
        repo.insert(item("all-1", 10L).build());
        repo.insert(item("all-1", 20L).build());
        repo.insert(item("all-2", 5L).build());

        assertThat(repo.findAll("all-1")).extracting(StoredItem::createdAt).containsExactly(10L, 20L, 30L);
        assertThat(repo.findAll("none")).isEmpty();
    }

    @Test
    void updateWithTheCurrentVersionSetsFieldsAndBumpsIt() {
        repo.insert(item("up-1", 1L).retryCnt(1).errorMsg("old").build());

        UpdateOutcome out = repo.update("up-1", 1L,
                new StatusChange(Status.FAILED, 1L, 2, "boom", null, null, 99L, "ap-9", null, null));

        assertThat(out).isInstanceOf(Updated.class);
        Notification n = ((Updated) out).item();
        assertThat(n.status()).isEqualTo(Status.FAILED);
        assertThat(n.version()).isEqualTo(2L);
        assertThat(n.retryCnt()).isEqualTo(2);
        assertThat(n.errorMsg()).isEqualTo("boom");
        assertThat(n.failedTs()).isEqualTo(99L);
        assertThat(n.apId()).isEqualTo("ap-9");
        assertThat(n.userId()).isEqualTo("user-1"); // untouched fields stay
        assertThat(n.snsId()).isNull();
        assertThat(repo.find("up-1", 1L).orElseThrow().notification()).isEqualTo(n);
    }

    @Test
    void updateWithAStaleVersionChangesNothingAndReturnsTheCurrentItem() {
        repo.insert(item("up-2", 1L).version(5L).build());

        UpdateOutcome out = repo.update("up-2", 1L, change(Status.DELIVERED, 4L));

        assertThat(out).isInstanceOf(Stale.class);
        assertThat(((Stale) out).current().version()).isEqualTo(5L);
        assertThat(repo.find("up-2", 1L).orElseThrow().notification().status()).isEqualTo(Status.SENT);
    }

    @Test
    void updateOfAMissingItemDoesNotCreateIt() {
        assertThat(repo.update("up-none", 1L, change(Status.DELIVERED, 0L))).isInstanceOf(Missing.class);
        assertThat(repo.update("up-none", 1L, change(Status.DELIVERED, 3L))).isInstanceOf(Missing.class);
        assertThat(repo.find("up-none", 1L)).isEmpty();
    }

    @Test
    void itemsWrittenByOtherToolsHaveVersionZero() {
        // an operator's put: no version attribute
        ddb.putItem(b -> b.tableName(TABLE).item(Map.of(
                Attr.TRANSACTION_ID, AttributeValue.fromS("legacy-1"), Attr.CREATED_AT, AttributeValue.fromN("1"),
                Attr.USER_ID, AttributeValue.fromS("u"), Attr.STATUS, AttributeValue.fromS("SENT"))));

        UpdateOutcome stale = repo.update("legacy-1", 1L, change(Status.DELIVERED, 1L));
        assertThat(stale).isInstanceOf(Stale.class);
        assertThat(((Stale) stale).current().version()).isNull();

        UpdateOutcome ok = repo.update("legacy-1", 1L, change(Status.DELIVERED, 0L));
        assertThat(ok).isInstanceOf(Updated.class);
        assertThat(((Updated) ok).item().version()).isEqualTo(1L);
        assertThat(repo.update("legacy-1", 1L, change(Status.FAILED, 0L))).isInstanceOf(Stale.class);
    }

    @Test
    void deleteRemovesTheItemAndSaysWhatItHeld() {
        repo.insert(item("del-1", 1L).build());
        DeleteOutcome out = repo.delete("del-1", 1L, null);
        assertThat(out).isInstanceOf(Deleted.class);
        assertThat(repo.find("del-1", 1L)).isEmpty();
        assertThat(repo.delete("del-1", 1L, null)).isInstanceOf(Missing.class);
    }

    @Test
    void deleteWithAVersionIsConditional() {
        repo.insert(item("del-2", 1L).version(3L).build());

        DeleteOutcome stale = repo.delete("del-2", 1L, 2L);
        assertThat(stale).isInstanceOf(Stale.class);
        assertThat(((Stale) stale).current().version()).isEqualTo(3L);
        assertThat(repo.find("del-2", 1L)).isPresent();

        assertThat(repo.delete("del-2", 1L, 3L)).isInstanceOf(Deleted.class);
        assertThat(repo.delete("del-2", 1L, 3L)).isInstanceOf(Missing.class);
    }

    @Test
    void deleteWithVersionZeroMatchesOnlyUnversionedItems() {
        repo.insert(item("del-3", 1L).version(null).build());
        repo.insert(item("del-3", 2L).version(1L).build());
        assertThat(repo.delete("del-3", 2L, 0L)).isInstanceOf(Stale.class);
        assertThat(repo.delete("del-3", 1L, 0L)).isInstanceOf(Deleted.class);
    }

    /** A foreign tool's item: everything as a notification has it but platform "ios". */
    static void putForeign(String tx, long createdAt, Map<String, AttributeValue> overrides) {
        Map<String, AttributeValue> item = new HashMap<>(NotificationMapper.toCommandItem(item(tx, createdAt).version(2L).build()));
        item.putAll(overrides);
        ddb.putItem(b -> b.tableName(TABLE).item(item));
    }

    @Test
    void anUnreadableStoredItemIsFoundWithItsProblemAndDeletedByItsKey() {
        putForeign("bad-1", 1L, Map.of(Attr.PLATFORM, AttributeValue.fromS("ios")));
        putForeign("bad-1", 2L, Map.of());

        StoredItem bad = repo.find("bad-1", 1L).orElseThrow();
        assertThat(bad.readable()).isFalse();
        assertThat(bad.version()).isEqualTo(2L);
        assertThat(bad.problem().field()).isEqualTo("platform");
        assertThat(bad.problem().getMessage()).contains("'ios'");
        assertThat(repo.findAll("bad-1")).extracting(StoredItem::readable).containsExactly(false, true);

        assertThat(repo.delete("bad-1", 1L, 1L)).isInstanceOfSatisfying(Stale.class,
                s -> assertThat(s.current().version()).isEqualTo(2L));
        assertThat(repo.delete("bad-1", 1L, 2L)).isInstanceOf(Deleted.class);
        assertThat(repo.find("bad-1", 1L)).isEmpty();
    }

    @Test
    void anItemWhoseVersionIsUnreadableSaysSo() {
        putForeign("bad-2", 1L, Map.of(Attr.VERSION, AttributeValue.fromS("two"), Attr.STATUS, AttributeValue.fromS("LOST")));
        StoredItem bad = repo.find("bad-2", 1L).orElseThrow();
        assertThat(bad.versionUnreadable()).isTrue();
        assertThat(bad.problem().getMessage()).contains("version").contains("'two'");
    }

    @Test
    void theClaimAndTheItemAreWrittenTogetherOnceAndTheClaimIsNeverAnItem() {
        Notification first = item("claim-1", 100L).build();
        assertThat(repo.insertClaimed(first)).isInstanceOf(Claimed.class);
        assertThat(repo.findAll("claim-1")).extracting(StoredItem::createdAt).containsExactly(100L);
        assertThat(ddb.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(NotificationMapper.commandKey("claim-1", CreateClaim.CREATED_AT))).item())
                .containsEntry(CreateClaim.CLAIMED_CREATED_AT, AttributeValue.fromN("100"));

        // a second first-create with another clock: the claim is taken and says which item holds it
        assertThat(repo.insertClaimed(item("claim-1", 200L).build())).isEqualTo(new ClaimTaken(100L));
        assertThat(repo.findAll("claim-1")).hasSize(1);

        // the same key without a claim: the item's condition refuses it and nothing is written
        repo.insert(item("claim-2", 5L).build());
        assertThat(repo.insertClaimed(item("claim-2", 5L).build())).isInstanceOf(KeyTaken.class);
        assertThat(ddb.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(NotificationMapper.commandKey("claim-2", CreateClaim.CREATED_AT))).hasItem()).isFalse();
    }

    @Test
    void aClaimIsReleasedOnlyForTheItemItPointsAt() {
        repo.insertClaimed(item("claim-3", 100L).build());
        repo.releaseClaim("claim-3", 99L);
        assertThat(repo.insertClaimed(item("claim-3", 300L).build())).isEqualTo(new ClaimTaken(100L));
        repo.releaseClaim("claim-3", 100L);
        repo.releaseClaim("claim-3", 100L); // nothing left: no error
        assertThat(repo.insertClaimed(item("claim-3", 300L).build())).isInstanceOf(Claimed.class);
        assertThat(repo.findAll("claim-3")).extracting(StoredItem::createdAt).containsExactly(100L, 300L);
    }

    @Test
    void twoConcurrentFirstCreatesThroughTheServiceMakeOneItemAndTheSameAnswer() throws Exception {
        // Both creates read the (empty) transaction before either writes: the race that made two items.
        CyclicBarrier bothRead = new CyclicBarrier(2);
        CommandRepository racing = new RacingRepository(repo, bothRead);
        Notification body = Notification.builder().transactionId("race-2").userId("user-1").platform(Platform.IOS)
                .deviceToken("tok").status(Status.SENT).build();
        CommandService a = new CommandService(racing, Clock.fixed(Instant.ofEpochMilli(1_000L), ZoneOffset.UTC));
        CommandService b = new CommandService(racing, Clock.fixed(Instant.ofEpochMilli(2_000L), ZoneOffset.UTC));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<CreateResult> ra = pool.submit(() -> a.create(body));
            Future<CreateResult> rb = pool.submit(() -> b.create(body));
            CreateResult x = ra.get(30, TimeUnit.SECONDS);
            CreateResult y = rb.get(30, TimeUnit.SECONDS);
            assertThat(x.item()).isEqualTo(y.item());
            assertThat(List.of(x.replayed(), y.replayed())).containsExactlyInAnyOrder(true, false);
            assertThat(repo.findAll("race-2")).hasSize(1);
            // in the table: the item and its claim, nothing else
            assertThat(ddb.query(q -> q.tableName(TABLE).consistentRead(true).keyConditionExpression("transaction_id = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("race-2")))).count()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The adapter, with every findAll waiting until the other create has read too (only the first round). */
    static final class RacingRepository implements CommandRepository {
        final CommandRepository delegate;
        final CyclicBarrier barrier;
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        RacingRepository(CommandRepository delegate, CyclicBarrier barrier) {
            this.delegate = delegate;
            this.barrier = barrier;
        }

        @Override
        public java.util.Optional<StoredItem> find(String transactionId, long createdAt) {
            return delegate.find(transactionId, createdAt);
        }

        @Override
        public List<StoredItem> findAll(String transactionId) {
            List<StoredItem> items = delegate.findAll(transactionId);
            if (reads.getAndIncrement() < barrier.getParties()) {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other create never read", e);
                }
            }
            return items;
        }

        @Override
        public boolean insert(Notification n) {
            return delegate.insert(n);
        }

        @Override
        public ClaimOutcome insertClaimed(Notification n) {
            return delegate.insertClaimed(n);
        }

        @Override
        public void releaseClaim(String transactionId, long createdAt) {
            delegate.releaseClaim(transactionId, createdAt);
        }

        @Override
        public UpdateOutcome update(String transactionId, long createdAt, StatusChange change) {
            return delegate.update(transactionId, createdAt, change);
        }

        @Override
        public DeleteOutcome delete(String transactionId, long createdAt, Long expectedVersion) {
            return delegate.delete(transactionId, createdAt, expectedVersion);
        }
    }

    @Test
    void aMissingTableIsAConfigurationFaultNamingActionAndTable() {
        DynamoDbCommandRepository wrong = new DynamoDbCommandRepository(ddb, "no-such-table");
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> wrong.find("x", 1L));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.failure().kind()).isEqualTo(AwsFailure.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).startsWith("dynamodb:GetItem on table/no-such-table failed: ResourceNotFoundException");
    }

    @Test
    void aRejectedItemIsAValidationErrorNamingTheField() {
        // moto refuses an empty string key as DynamoDB does (ValidationException)
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> repo.find("", 1L));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.failure().kind()).isEqualTo(AwsFailure.Kind.REJECTED);
        assertThat(e.toBody().code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }
}
