package io.pushcqrs.command.app;

import io.pushcqrs.model.error.UnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.mapping.MappingException;
import io.pushcqrs.model.validation.ValidationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandServiceTest {
    static final long NOW = 1_700_000_000_000L;

    final InMemoryCommandRepository repo = new InMemoryCommandRepository();
    final CommandService service = new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    static Notification.Builder valid() {
        return Notification.builder().userId("user-1").platform(Platform.IOS).deviceToken("tok-1").status(Status.SENT);
    }

    static JsonNode json(String s) {
        return Json.readTree(s);
    }

    static StatusChange change(Status status, Long version) {
        return new StatusChange(status, version, null, null, null, null, null, null, null, null);
    }

    static ApiException apiError(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    @Nested
    class Create {
        @Test
        void defaultsTransactionIdCreatedAtAndVersion() {
            CreateResult r = service.create(valid().build());

            assertThat(r.replayed()).isFalse();
            Notification n = r.item();
            assertThat(UUID.fromString(n.transactionId())).isNotNull();
            assertThat(n.createdAt()).isEqualTo(NOW);
            assertThat(n.version()).isEqualTo(1L);
            assertThat(repo.get(n.transactionId(), NOW)).contains(n);
        }

        @Test
        void keepsGivenTransactionIdAndCreatedAt() {
            Notification n = service.create(valid().transactionId("tx-1").createdAt(42L).build()).item();

            assertThat(n.transactionId()).isEqualTo("tx-1");
            assertThat(n.createdAt()).isEqualTo(42L);
            assertThat(n.version()).isEqualTo(1L);
            assertThat(repo.size()).isEqualTo(1);
        }

        @Test
        void clientVersionIsRejected() {
            ApiException e = apiError(() -> service.create(valid().version(5L).build()));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.getMessage()).contains("version");
            assertThat(repo.size()).isZero();
        }

        @Test
        void missingRequiredFieldsAreNamed() {
            ValidationException e = (ValidationException) apiError(() -> service.create(Notification.builder().build()));
            assertThat(e.errors()).extracting(f -> f.field())
                    .containsExactlyInAnyOrder("user_id", "platform", "device_token", "status");
        }

        @Test
        void emptyStringCountsAsMissing() {
            ValidationException e = (ValidationException) apiError(() -> service.create(valid().userId("").build()));
            assertThat(e.errors()).extracting(f -> f.field()).containsExactly("user_id");
        }

        @Test
        void emptyOptionalStringsAndEmptyPayloadAreLeftOut() {
            Notification n = service.create(valid().marketingId("").notificationTitle("").payload(json("{}")).build()).item();
            assertThat(n.marketingId()).isNull();
            assertThat(n.notificationTitle()).isNull();
            assertThat(n.payload()).isNull();
        }

        @Test
        void boundsAreChecked() {
            ValidationException e = (ValidationException) apiError(() -> service.create(valid()
                    .retryCnt(-1).transactionId("bad id!").notificationTitle("x".repeat(257)).build()));
            assertThat(e.errors()).extracting(f -> f.field())
                    .containsExactlyInAnyOrder("retry_cnt", "transaction_id", "notification_title");
        }

        @Test
        void payloadMustBeAnObject() {
            ApiException e = apiError(() -> service.create(valid().payload(json("[1,2]")).build()));
            assertThat(e.getMessage()).isEqualTo("payload: must be a JSON object");
            e = apiError(() -> service.create(valid().payload(json("\"text\"")).build()));
            assertThat(e.getMessage()).isEqualTo("payload: must be a JSON object");
        }

        @Test
        void payloadNumbersMustFitDynamoDb() {
            ApiException e = apiError(() -> service.create(valid().payload(json("{\"a\":{\"b\":[1, 1e200]}}")).build()));
            assertThat(e.getMessage()).startsWith("payload.a.b[1]: must have at most 38 significant digits");
            e = apiError(() -> service.create(valid().payload(json("{\"pi\":3.14159265358979323846264338327950288419716}")).build()));
            assertThat(e.getMessage()).startsWith("payload.pi:");
            // zero, negatives and 38 digits are fine
            assertThat(service.create(valid().payload(json("{\"z\":0,\"n\":-1.5,\"d\":12345678901234567890123456789012345678}"))
                    .build()).item().payload().get("n").decimalValue()).isEqualByComparingTo("-1.5");
        }

        @Test
        void payloadDepthIsBounded() {
            String deep = "{\"a\":".repeat(32) + "1" + "}".repeat(32);
            ApiException e = apiError(() -> service.create(valid().payload(json(deep)).build()));
            assertThat(e.getMessage()).contains("nests deeper than 31 levels");
            String ok = "{\"a\":".repeat(31) + "1" + "}".repeat(31);
            assertThat(service.create(valid().payload(json(ok)).build()).replayed()).isFalse();
        }

        @Test
        void sameBodyWithCreatedAtIsAnsweredWithTheStoredRecord() {
            Notification body = valid().transactionId("tx-1").createdAt(42L).payload(json("{\"k\":[1,2]}")).build();
            CreateResult first = service.create(body);
            CreateResult again = service.create(body);

            assertThat(again.replayed()).isTrue();
            assertThat(again.item()).isEqualTo(first.item());
            assertThat(repo.size()).isEqualTo(1);
        }

        @Test
        void sameBodyWithoutCreatedAtFindsTheStoredRecordOfTheTransaction() {
            Notification body = valid().transactionId("tx-1").build();
            Notification first = service.create(body).item();
            CommandService later = new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW + 5000), ZoneOffset.UTC));

            CreateResult again = later.create(body);

            assertThat(again.replayed()).isTrue();
            assertThat(again.item()).isEqualTo(first);
            assertThat(again.item().createdAt()).isEqualTo(NOW);
            assertThat(repo.size()).isEqualTo(1);
        }

        @Test
        void numericallyEqualPayloadIsTheSame() {
            repo.put(valid().transactionId("tx-1").createdAt(42L).version(1L).payload(json("{\"n\":1}")).build());
            CreateResult r = service.create(valid().transactionId("tx-1").createdAt(42L).payload(json("{\"n\":1.00}")).build());
            assertThat(r.replayed()).isTrue();
        }

        @Test
        void differentBodyIsAConflictNamingTheFields() {
            service.create(valid().transactionId("tx-1").createdAt(42L).build());

            ApiException e = apiError(() -> service.create(valid().transactionId("tx-1").createdAt(42L)
                    .status(Status.FAILED).payload(json("{\"a\":1}")).build()));

            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("tx-1").contains("created_at 42").contains("differs in: status, payload");
        }

        @Test
        void differentBodyWithoutCreatedAtIsAConflict() {
            service.create(valid().transactionId("tx-1").build());
            ApiException e = apiError(() -> service.create(valid().transactionId("tx-1").userId("user-2").build()));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("differs in: user_id");
            assertThat(repo.size()).isEqualTo(1);
        }

        @Test
        void sameTransactionIdWithAnotherCreatedAtIsANewItem() {
            service.create(valid().transactionId("tx-1").createdAt(1L).build());
            CreateResult r = service.create(valid().transactionId("tx-1").createdAt(2L).userId("other").build());
            assertThat(r.replayed()).isFalse();
            assertThat(repo.all("tx-1")).hasSize(2);
        }

        @Test
        void replayAfterAStatusChangeIsAConflict() {
            Notification body = valid().transactionId("tx-1").createdAt(42L).build();
            service.create(body);
            service.changeStatus("tx-1", change(Status.DELIVERED, 1L));

            ApiException e = apiError(() -> service.create(body));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("status");
        }

        @Test
        void lostRaceWithTheSameContentIsAReplay() {
            Notification body = valid().transactionId("tx-1").createdAt(42L).build();
            repo.beforeInsert = () -> {
                repo.beforeInsert = () -> { };
                repo.put(body.toBuilder().version(1L).build()); // the other writer wins
            };
            CreateResult r = service.create(body);
            assertThat(r.replayed()).isTrue();
            assertThat(r.item().version()).isEqualTo(1L);
        }

        @Test
        void lostRaceWithOtherContentIsAConflict() {
            Notification body = valid().transactionId("tx-1").createdAt(42L).build();
            repo.beforeInsert = () -> {
                repo.beforeInsert = () -> { };
                repo.put(body.toBuilder().deviceToken("other").version(1L).build());
            };
            assertThat(apiError(() -> service.create(body)).code()).isEqualTo(ErrorCode.CONFLICT);
        }

        @Test
        void keyThatVanishesAfterALostRaceIsWrittenAgain() {
            Notification body = valid().transactionId("tx-1").createdAt(42L).build();
            // The first put fails as if the key existed, but the item is gone when read: the put is retried.
            InMemoryCommandRepository flaky = new InMemoryCommandRepository() {
                int calls;

                @Override
                public synchronized boolean insert(Notification n) {
                    return ++calls > 1 && super.insert(n);
                }
            };
            CreateResult r = new CommandService(flaky, Clock.systemUTC()).create(body);
            assertThat(r.replayed()).isFalse();
            assertThat(flaky.size()).isEqualTo(1);
        }

        @Test
        void keyThatNeverSettlesIsUnavailable() {
            InMemoryCommandRepository flaky = new InMemoryCommandRepository() {
                @Override
                public synchronized boolean insert(Notification n) {
                    inserts++;
                    return false;
                }
            };
            assertThatThrownBy(() -> new CommandService(flaky, Clock.systemUTC())
                    .create(valid().transactionId("tx-1").createdAt(42L).build()))
                    .isInstanceOf(UnavailableException.class);
            assertThat(flaky.inserts).isEqualTo(3);
        }

        @Test
        void twoConcurrentFirstCreatesMakeOneItemAndGetTheSameAnswer() throws Exception {
            // Both creates read (no item yet) before either writes: the race that made two items.
            CyclicBarrier bothRead = new CyclicBarrier(2);
            repo.afterFindAll = () -> {
                try {
                    bothRead.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Notification body = valid().transactionId("tx-race").build();
            CommandService a = new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
            CommandService b = new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW + 7), ZoneOffset.UTC));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<CreateResult> ra = pool.submit(() -> a.create(body));
                Future<CreateResult> rb = pool.submit(() -> b.create(body));
                CreateResult x = ra.get(20, TimeUnit.SECONDS);
                repo.afterFindAll = () -> { };
                CreateResult y = rb.get(20, TimeUnit.SECONDS);
                assertThat(repo.all("tx-race")).hasSize(1);
                assertThat(x.item()).isEqualTo(y.item());
                assertThat(List.of(x.replayed(), y.replayed())).containsExactlyInAnyOrder(true, false);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aClaimLeftByADeletedItemIsReleasedAndTheCreateWrites() {
            repo.putClaim("tx-1", 5L); // its item is gone
            CreateResult r = service.create(valid().transactionId("tx-1").build());
            assertThat(r.replayed()).isFalse();
            assertThat(repo.claim("tx-1")).contains(NOW);
            assertThat(repo.all("tx-1")).extracting(Notification::createdAt).containsExactly(NOW);
        }

        @Test
        void aClaimedItemWithOtherContentIsAConflict() {
            repo.putClaim("tx-1", 5L);
            repo.beforeInsert = () -> { };
            // the claimed item exists but the first read did not see it (written after the read)
            repo.afterFindAll = () -> {
                repo.afterFindAll = () -> { };
                repo.put(valid().transactionId("tx-1").createdAt(5L).userId("someone-else").version(1L).build());
            };
            ApiException e = apiError(() -> service.create(valid().transactionId("tx-1").build()));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("created_at 5").contains("user_id");
        }

        @Test
        void aStoredItemTheMapperCannotReadIsAConflictNamingIt() {
            repo.putUnreadable("tx-1", 42L, 1L, new MappingException("platform", "unknown value 'ios'"));
            ApiException withoutCreatedAt = apiError(() -> service.create(valid().transactionId("tx-1").build()));
            assertThat(withoutCreatedAt.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(withoutCreatedAt.getMessage()).contains("platform").contains("'ios'");
            ApiException sameKey = apiError(() -> service.create(valid().transactionId("tx-1").createdAt(42L).build()));
            assertThat(sameKey.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(sameKey.getMessage()).contains("platform");
        }

        @Test
        void payloadKeysMayNotBeEmptyAtAnyDepth() {
            for (String payload : List.of("{\"\":1}", "{\"a\":{\"\":1}}", "{\"a\":[{\"b\":{\"\":null}}]}")) {
                ApiException e = apiError(() -> service.create(valid().payload(json(payload)).build()));
                assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                assertThat(e.getMessage()).contains("has an empty key");
            }
            assertThat(repo.size()).isZero();
        }

        @Test
        void withCreatedAtTheHappyPathDoesNotQuery() {
            service.create(valid().transactionId("tx-1").createdAt(42L).build());
            assertThat(repo.queries).isZero();
            assertThat(repo.inserts).isEqualTo(1);
        }
    }

    @Nested
    class ChangeStatus {
        void stored(long createdAt, Long version) {
            repo.put(valid().transactionId("tx-1").createdAt(createdAt).retryCnt(1).version(version).build());
        }

        @Test
        void setsFieldsAndBumpsVersion() {
            stored(42L, 1L);
            Notification n = service.changeStatus("tx-1", new StatusChange(Status.SENT, 1L, 2, "later", 5L, null, null,
                    "ap-1", "sns-1", null));

            assertThat(n.version()).isEqualTo(2L);
            assertThat(n.retryCnt()).isEqualTo(2);
            assertThat(n.errorMsg()).isEqualTo("later");
            assertThat(n.sendTs()).isEqualTo(5L);
            assertThat(n.apId()).isEqualTo("ap-1");
            assertThat(n.snsId()).isEqualTo("sns-1");
            assertThat(n.deliveredTs()).isNull();
            assertThat(n.failedTs()).isNull();
            assertThat(repo.get("tx-1", 42L)).contains(n);
        }

        @Test
        void failedWithoutFailedTsGetsNow() {
            stored(42L, 1L);
            Notification n = service.changeStatus("tx-1", change(Status.FAILED, 1L));
            assertThat(n.status()).isEqualTo(Status.FAILED);
            assertThat(n.failedTs()).isEqualTo(NOW);
        }

        @Test
        void deliveredWithoutDeliveredTsGetsNowButAGivenOneIsKept() {
            stored(42L, 1L);
            assertThat(service.changeStatus("tx-1", change(Status.DELIVERED, 1L)).deliveredTs()).isEqualTo(NOW);
            Notification n = service.changeStatus("tx-1",
                    new StatusChange(Status.DELIVERED, 2L, null, null, null, 7L, null, null, null, null));
            assertThat(n.deliveredTs()).isEqualTo(7L);
            assertThat(n.version()).isEqualTo(3L);
        }

        @Test
        void unknownTransactionIsNotFound() {
            ApiException e = apiError(() -> service.changeStatus("nope", change(Status.SENT, 1L)));
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("nope");
        }

        @Test
        void unknownCreatedAtIsNotFound() {
            stored(42L, 1L);
            ApiException e = apiError(() -> service.changeStatus("tx-1",
                    new StatusChange(Status.SENT, 1L, null, null, null, null, null, null, null, 43L)));
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("created_at 43");
        }

        @Test
        void staleVersionIsAConflictSayingTheCurrentVersion() {
            stored(42L, 3L);
            ApiException e = apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 2L)));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("version 2 is stale").contains("current version").endsWith("is 3");
            assertThat(repo.get("tx-1", 42L).orElseThrow().status()).isEqualTo(Status.SENT);
        }

        @Test
        void staleAtWriteTimeIsAConflictToo() {
            stored(42L, 1L);
            repo.beforeWrite = () -> stored(42L, 2L); // another writer between our read and our write
            ApiException e = apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 1L)));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).endsWith("is 2");
        }

        @Test
        void deletedAtWriteTimeIsNotFound() {
            stored(42L, 1L);
            repo.beforeWrite = () -> repo.remove("tx-1", 42L);
            assertThat(apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 1L))).code())
                    .isEqualTo(ErrorCode.NOT_FOUND);
        }

        @Test
        void itemWithoutVersionCountsAsVersionZero() {
            stored(42L, null);
            assertThat(apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 1L))).getMessage()).endsWith("is 0");
            Notification n = service.changeStatus("tx-1", change(Status.FAILED, 0L));
            assertThat(n.version()).isEqualTo(1L);
        }

        @Test
        void severalItemsWithoutCreatedAtAreAConflictListingThemAndCreatedAtPicksOne() {
            stored(10L, 1L);
            stored(20L, 1L);
            ApiException e = apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 1L)));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("has 2 items (created_at 10, 20)").contains("send created_at");
            assertThat(repo.get("tx-1", 10L).orElseThrow().status()).isEqualTo(Status.SENT);
            assertThat(repo.get("tx-1", 20L).orElseThrow().status()).isEqualTo(Status.SENT);
            Notification older = service.changeStatus("tx-1",
                    new StatusChange(Status.DELIVERED, 1L, null, null, null, null, null, null, null, 10L));
            assertThat(older.createdAt()).isEqualTo(10L);
            assertThat(older.status()).isEqualTo(Status.DELIVERED);
        }

        @Test
        void anUnreadableItemIsAConflictNamingTheFieldAndItsValue() {
            repo.putUnreadable("tx-1", 42L, 1L, new MappingException("platform",
                    "unknown value 'ios' (expected one of [IOS, ANDROID, WEBPUSH])"));
            ApiException e = apiError(() -> service.changeStatus("tx-1", change(Status.FAILED, 1L)));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("created_at 42").contains("platform").contains("'ios'");
            assertThat(e.details()).singleElement().satisfies(d -> {
                assertThat(d.field()).isEqualTo("platform");
                assertThat(d.message()).startsWith("unknown value 'ios'");
            });
        }

        @Test
        void timesAreEpochMillisecondsAndVersionsBounded() {
            stored(42L, 1L);
            ValidationException e = (ValidationException) apiError(() -> service.changeStatus("tx-1",
                    new StatusChange(Status.FAILED, 1L, null, null, 1_710_238_500_000_000L, null, 1_710_238_500_000_000_000L,
                            null, null, null)));
            assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder("send_ts", "failed_ts");
            assertThat(e.getMessage()).contains("epoch milliseconds");
            assertThat(apiError(() -> service.changeStatus("tx-1", change(Status.SENT, Long.MAX_VALUE))).getMessage())
                    .startsWith("version: must be at most");
        }

        @Test
        void retryCountMayNotGoDown() {
            stored(42L, 1L);
            ApiException e = apiError(() -> service.changeStatus("tx-1",
                    new StatusChange(Status.FAILED, 1L, 0, null, null, null, null, null, null, null)));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.getMessage()).isEqualTo("retry_cnt: must not be lower than the stored value 1 (was 0)");
        }

        @Test
        void inputIsValidatedBeforeAnyRead() {
            ValidationException e = (ValidationException) apiError(() -> service.changeStatus("bad id",
                    new StatusChange(null, null, -1, "e".repeat(2049), -1L, -1L, -1L, "a b", "s b", -1L)));
            assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder(
                    "transaction_id", "status", "version", "retry_cnt", "error_msg", "send_ts", "delivered_ts",
                    "failed_ts", "ap_id", "sns_id", "created_at");
            assertThat(apiError(() -> service.changeStatus("tx-1", change(Status.SENT, -1L))).getMessage())
                    .contains("version: must not be negative");
            assertThat(repo.queries).isZero();
        }
    }

    @Nested
    class Delete {
        void stored(long createdAt, Long version) {
            repo.put(valid().transactionId("tx-1").createdAt(createdAt).version(version).build());
        }

        @Test
        void deletesEveryItemOfTheTransaction() {
            stored(1L, 1L);
            stored(2L, 4L);
            repo.put(valid().transactionId("tx-2").createdAt(1L).build());

            assertThat(service.delete("tx-1", null, null)).isEqualTo(2);
            assertThat(repo.all("tx-1")).isEmpty();
            assertThat(repo.all("tx-2")).hasSize(1);
        }

        @Test
        void createdAtDeletesOne() {
            stored(1L, 1L);
            stored(2L, 1L);
            assertThat(service.delete("tx-1", 2L, null)).isEqualTo(1);
            assertThat(repo.all("tx-1")).extracting(Notification::createdAt).containsExactly(1L);
        }

        @Test
        void unknownIsNotFound() {
            assertThat(apiError(() -> service.delete("tx-1", null, null)).code()).isEqualTo(ErrorCode.NOT_FOUND);
            stored(1L, 1L);
            ApiException e = apiError(() -> service.delete("tx-1", 2L, null));
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("created_at 2");
        }

        @Test
        void versionMustBeCurrent() {
            stored(1L, 3L);
            ApiException e = apiError(() -> service.delete("tx-1", null, 2L));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).endsWith("is 3");
            assertThat(repo.size()).isEqualTo(1);
            assertThat(service.delete("tx-1", null, 3L)).isEqualTo(1);
        }

        @Test
        void staleAtWriteTimeIsAConflict() {
            stored(1L, 1L);
            repo.beforeWrite = () -> stored(1L, 2L);
            assertThat(apiError(() -> service.delete("tx-1", 1L, 1L)).code()).isEqualTo(ErrorCode.CONFLICT);
        }

        @Test
        void versionZeroMatchesAnUnversionedItem() {
            stored(1L, null);
            assertThat(service.delete("tx-1", 1L, 0L)).isEqualTo(1);
        }

        @Test
        void versionWithSeveralItemsNeedsCreatedAt() {
            stored(1L, 1L);
            stored(2L, 1L);
            ApiException e = apiError(() -> service.delete("tx-1", null, 1L));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.getMessage()).startsWith("created_at: is required with version");
            assertThat(repo.size()).isEqualTo(2);
        }

        @Test
        void goneMeanwhileIsNotFound() {
            stored(1L, 1L);
            repo.beforeWrite = () -> repo.remove("tx-1", 1L);
            assertThat(apiError(() -> service.delete("tx-1", null, null)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        }

        @Test
        void anUnreadableItemIsDeletedByItsKey() {
            repo.putUnreadable("tx-1", 1L, null, new MappingException("platform", "unknown value 'ios'"));
            stored(2L, 1L);
            assertThat(service.delete("tx-1", null, null)).isEqualTo(2);
            assertThat(repo.size()).isZero();

            repo.putUnreadable("tx-1", 3L, 2L, new MappingException("status", "unknown value 'LOST'"));
            assertThat(apiError(() -> service.delete("tx-1", 3L, 1L)).getMessage()).endsWith("is 2");
            assertThat(service.delete("tx-1", 3L, 2L)).isEqualTo(1);
        }

        @Test
        void anItemWhoseVersionCannotBeReadIsDeletedOnlyWithoutAVersion() {
            repo.putUnreadable("tx-1", 1L, null, new MappingException("version", "expected a number (N) but was S 'x'"));
            ApiException e = apiError(() -> service.delete("tx-1", 1L, 0L));
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("version");
            assertThat(service.delete("tx-1", 1L, null)).isEqualTo(1);
        }

        @Test
        void theCreateClaimGoesWithTheItemItPointsAt() {
            Notification first = service.create(valid().transactionId("tx-9").build()).item();
            assertThat(repo.claim("tx-9")).contains(first.createdAt());
            assertThat(service.delete("tx-9", null, null)).isEqualTo(1);
            assertThat(repo.claim("tx-9")).isEmpty();
            // a create after the delete is a new item, not a replay of the deleted one
            CommandService later = new CommandService(repo, Clock.fixed(Instant.ofEpochMilli(NOW + 1), ZoneOffset.UTC));
            CreateResult again = later.create(valid().transactionId("tx-9").build());
            assertThat(again.replayed()).isFalse();
            assertThat(again.item().createdAt()).isEqualTo(NOW + 1);
        }

        @Test
        void badInputIsRejected() {
            ValidationException e = (ValidationException) apiError(() -> service.delete("", -1L, -2L));
            assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder("transaction_id", "created_at", "version");
        }
    }

    @Test
    void storeFailuresPropagate() {
        repo.failure = new UnavailableException("throttled", null);
        assertThatThrownBy(() -> service.create(valid().transactionId("t").build()))
                .isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> service.changeStatus("t", change(Status.SENT, 1L)))
                .isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> service.delete("t", null, null))
                .isInstanceOf(UnavailableException.class);
    }
}
