package io.pushcqrs.command.adapter;

import io.pushcqrs.command.app.CommandRepository.Deleted;
import io.pushcqrs.command.app.CommandRepository.DeleteOutcome;
import io.pushcqrs.command.app.CommandRepository.Missing;
import io.pushcqrs.command.app.CommandRepository.Stale;
import io.pushcqrs.command.app.CommandRepository.Updated;
import io.pushcqrs.command.app.CommandRepository.UpdateOutcome;
import io.pushcqrs.command.app.StatusChange;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.moto.LocalAws;
import io.pushcqrs.moto.MotoServer;
import io.pushcqrs.moto.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapter against moto's DynamoDB (a real DynamoDB API: conditions, return values, queries). */
class DynamoDbCommandRepositoryTest {
    static final String TABLE = "command-adapter-test";
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

        Notification read = repo.find("rt-1", 42L).orElseThrow();
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
        assertThat(repo.find("dup-1", 1L).orElseThrow().userId()).isEqualTo("user-1");
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

        assertThat(repo.findAll("all-1")).extracting(Notification::createdAt).containsExactly(10L, 20L, 30L);
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
        assertThat(repo.find("up-1", 1L)).contains(n);
    }

    @Test
    void updateWithAStaleVersionChangesNothingAndReturnsTheCurrentItem() {
        repo.insert(item("up-2", 1L).version(5L).build());

        UpdateOutcome out = repo.update("up-2", 1L, change(Status.DELIVERED, 4L));

        assertThat(out).isInstanceOf(Stale.class);
        assertThat(((Stale) out).current().version()).isEqualTo(5L);
        assertThat(repo.find("up-2", 1L).orElseThrow().status()).isEqualTo(Status.SENT);
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
        assertThat(((Deleted) out).item().userId()).isEqualTo("user-1");
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

    @Test
    void unreadableStoredItemIsAMappingErrorNamingTheField() {
        ddb.putItem(b -> b.tableName(TABLE).item(Map.of(
                Attr.TRANSACTION_ID, AttributeValue.fromS("bad-1"), Attr.CREATED_AT, AttributeValue.fromN("1"),
                Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"))));
        assertThatThrownBy(() -> repo.find("bad-1", 1L)).isInstanceOf(MappingException.class).hasMessageContaining("platform");
    }

    @Test
    void missingTableIsNotMistakenForUnavailability() {
        DynamoDbCommandRepository wrong = new DynamoDbCommandRepository(ddb, "no-such-table");
        assertThatThrownBy(() -> wrong.find("x", 1L)).isInstanceOf(ResourceNotFoundException.class);
    }
}
