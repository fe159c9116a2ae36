package io.pushcqrs.projection.app;

import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.lambda.aws.AwsFailure;
import io.pushcqrs.model.Attr;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.ViewKeys;
import io.pushcqrs.model.mapping.MappingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.pushcqrs.projection.app.Changes.CREATED;
import static io.pushcqrs.projection.app.Changes.command;
import static io.pushcqrs.projection.app.Changes.insert;
import static io.pushcqrs.projection.app.Changes.item;
import static io.pushcqrs.projection.app.Changes.modify;
import static io.pushcqrs.projection.app.Changes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transient is not poison: a record that can never be projected goes to the on-failure queue and is done with; a
 * transient failure is tried again with backoff while the invocation has time, then reported failed (the mapping
 * retries it); anything else is reported failed at once. No thread sleeps here: the pauses are recorded and advance a
 * fake clock of the invocation's remaining time.
 */
class FailureHandlingTest {
    static final String SK = ViewKeys.viewSk(CREATED, "tx-1");

    final InMemoryViewStore memory = new InMemoryViewStore();
    final List<PoisonRecord> sent = new CopyOnWriteArrayList<>();
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    final AtomicLong remaining = new AtomicLong(60_000);
    final Invocation invocation = new Invocation("req-1", "arn:aws:lambda:us-east-1:1:function:sp", remaining::get);
    final List<ProjectionService> services = new ArrayList<>();

    final Map<String, AttributeValue> v1 = item(command("tx-1", "u1").version(1L));
    final Map<String, AttributeValue> v2 = item(command("tx-1", "u1").status(Status.DELIVERED).version(2L));
    final Map<String, AttributeValue> poisonImage = with(v1, Attr.PLATFORM, AttributeValue.fromS("BLACKBERRY"));

    /** A store that fails (throws) while {@code failure} answers an exception for the item, then writes to memory. */
    ViewStore failing(Function<Map<String, AttributeValue>, RuntimeException> failure) {
        return new ViewStore() {
            @Override
            public WriteOutcome upsert(Map<String, AttributeValue> viewItem, WriteGuard guard) {
                RuntimeException e = failure.apply(viewItem);
                if (e != null) {
                    throw e;
                }
                return memory.upsert(viewItem, guard);
            }

            @Override
            public WriteOutcome tombstone(Map<String, AttributeValue> tombstone, WriteGuard guard) {
                RuntimeException e = failure.apply(tombstone);
                if (e != null) {
                    throw e;
                }
                return memory.tombstone(tombstone, guard);
            }
        };
    }

    ProjectionService service(ViewStore store, PoisonQueue queue) {
        ProjectionService s = ProjectionService.builder(store).poisonQueue(queue)
                .retry(RetryPolicy.DEFAULT, pause -> {
                    pauses.add(pause);
                    remaining.addAndGet(-pause.toMillis()); // the pause uses up the invocation's time
                }).build();
        services.add(s);
        return s;
    }

    ProjectionService service(ViewStore store) {
        return service(store, sent::add);
    }

    @AfterEach
    void close() {
        services.forEach(ProjectionService::close);
    }

    static AwsCallException aws(AwsFailure.Kind kind, String code) {
        return AwsFailure.of(kind, "dynamodb:PutItem", "table/notification-records", code, kind == AwsFailure.Kind.UNAVAILABLE
                ? 400 : 400, code + " message").exception(null);
    }

    @Nested
    class PoisonRecords {
        @Test
        void goToTheOnFailureQueueAndTheBatchGoesOnWithTheSameItem() {
            ChangeRecord poison = insert(200, poisonImage);

            BatchResult r = service(memory).project(List.of(insert(100, v1), poison, modify(300, v1, v2)), invocation);

            assertThat(r.failed()).isZero();
            assertThat(r.hasFailure()).isFalse();
            assertThat(r.poisoned()).isEqualTo(1);
            assertThat(r.poisons()).singleElement().satisfies(p -> {
                assertThat(p.sequenceNumber()).isEqualTo("200");
                assertThat(p.reason()).startsWith("mapping error: platform: unknown value 'BLACKBERRY'");
            });
            assertThat(sent).singleElement().satisfies(p -> {
                assertThat(p.record()).isEqualTo(poison);
                assertThat(p.reason()).contains("BLACKBERRY");
                assertThat(p.invocation()).isEqualTo(invocation);
            });
            // the later record of the same item is projected
            assertThat(memory.get("u1", SK).get(Attr.STATUS).s()).isEqualTo("DELIVERED");
            assertThat(pauses).isEmpty();
        }

        @Test
        void aPoisonRecordFirstInTheBatchNeedsNoBisection() {
            BatchResult r = service(memory).project(List.of(insert(100, poisonImage), insert(200, item(command("tx-2", "u2")
                    .version(1L)))), invocation);

            assertThat(r.failedSequenceNumbers()).isEmpty();
            assertThat(sent).extracting(p -> p.record().sequenceNumber()).containsExactly("100");
            assertThat(memory.live()).hasSize(1);
        }

        @Test
        void aWriteTheStoreRejectsIsPoisonToo() {
            // e.g. a view over 400 KB: DynamoDB's ValidationException, the same answer however often it is tried
            ProjectionService s = service(failing(i -> aws(AwsFailure.Kind.REJECTED, "ValidationException")));

            BatchResult r = s.project(List.of(insert(100, v1)), invocation);

            assertThat(r.failed()).isZero();
            assertThat(sent).singleElement().satisfies(p -> assertThat(p.reason()).contains("ValidationException"));
            assertThat(pauses).isEmpty();
        }

        @Test
        void aSendThatFailsTransientlyIsTriedAgain() {
            AtomicInteger attempts = new AtomicInteger();
            PoisonQueue flaky = p -> {
                if (attempts.incrementAndGet() < 3) {
                    throw AwsFailure.of(AwsFailure.Kind.UNAVAILABLE, "sqs:SendMessage", "queue/dlq", "RequestThrottled",
                            400, "throttled").exception(null);
                }
                sent.add(p);
            };

            BatchResult r = service(memory, flaky).project(List.of(insert(100, poisonImage)), invocation);

            assertThat(r.failed()).isZero();
            assertThat(sent).hasSize(1);
            assertThat(r.retries()).isEqualTo(2);
            assertThat(pauses).hasSize(2);
        }

        @Test
        void whenTheSendFailsTheRecordFailsAndIsNeverLost() {
            PoisonQueue denied = p -> {
                throw AwsFailure.of(AwsFailure.Kind.MISCONFIGURED, "sqs:SendMessage", "queue/dlq", "AccessDenied", 403,
                        "not authorized").exception(null);
            };

            BatchResult r = service(memory, denied).project(List.of(insert(100, v1), insert(200, poisonImage),
                    modify(300, v1, v2)), invocation);

            assertThat(r.failedSequenceNumbers()).containsExactly("200", "300");
            assertThat(r.failure().reason()).contains("sqs:SendMessage").contains("AccessDenied");
            assertThat(r.poisoned()).isZero();
            // the item's later record waits behind it
            assertThat(memory.get("u1", SK).get(Attr.SOURCE_VERSION).n()).isEqualTo("1");
        }

        @Test
        void withoutAQueueAPoisonRecordIsAFailedRecord() {
            BatchResult r = new ProjectionService(memory).project(List.of(insert(100, poisonImage)));

            assertThat(r.failedSequenceNumbers()).containsExactly("100");
            assertThat(r.failure().reason()).startsWith("mapping error:");
        }
    }

    @Nested
    class TransientFailures {
        @Test
        void areTriedAgainWithBackoffUntilTheyPass() {
            AtomicInteger calls = new AtomicInteger();
            ProjectionService s = service(failing(i -> calls.incrementAndGet() <= 3
                    ? aws(AwsFailure.Kind.UNAVAILABLE, "ProvisionedThroughputExceededException") : null));

            BatchResult r = s.project(List.of(insert(100, v1)), invocation);

            assertThat(r.failed()).isZero();
            assertThat(r.upserted()).isEqualTo(1);
            assertThat(r.retries()).isEqualTo(3);
            assertThat(sent).as("transient is not poison").isEmpty();
            // 100 ms doubling, each between half and the whole of it
            assertThat(pauses).hasSize(3);
            assertThat(pauses.get(0).toMillis()).isBetween(50L, 100L);
            assertThat(pauses.get(1).toMillis()).isBetween(100L, 200L);
            assertThat(pauses.get(2).toMillis()).isBetween(200L, 400L);
        }

        @Test
        void stopWhileTheInvocationStillHasTimeToAnswerAndAreReportedFailed() {
            ProjectionService s = service(failing(i -> aws(AwsFailure.Kind.UNAVAILABLE, "InternalServerError")));

            BatchResult r = s.project(List.of(insert(100, v1), modify(200, v1, v2)), invocation);

            assertThat(r.failedSequenceNumbers()).containsExactly("100", "200");
            assertThat(r.failure().reason()).contains("InternalServerError").contains("UNAVAILABLE");
            assertThat(sent).isEmpty();
            // the pauses used the invocation's time down to the reserve, never past it
            long used = pauses.stream().mapToLong(Duration::toMillis).sum();
            assertThat(remaining.get()).isEqualTo(60_000 - used).isGreaterThan(RetryPolicy.DEFAULT.reserve().toMillis());
            assertThat(pauses).hasSizeGreaterThan(5).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(5)));
        }

        @Test
        void withoutATimeLimitAreBoundedByTheAttempts() {
            ProjectionService s = service(failing(i -> aws(AwsFailure.Kind.UNAVAILABLE, "ThrottlingException")));

            BatchResult r = s.project(List.of(insert(100, v1)));

            assertThat(r.failed()).isEqualTo(1);
            assertThat(r.retries()).isEqualTo(RetryPolicy.DEFAULT.maxAttempts() - 1);
        }

        @Test
        void withLittleTimeLeftAreNotTriedAgain() {
            remaining.set(RetryPolicy.DEFAULT.reserve().toMillis());
            ProjectionService s = service(failing(i -> aws(AwsFailure.Kind.UNAVAILABLE, "ThrottlingException")));

            BatchResult r = s.project(List.of(insert(100, v1)), invocation);

            assertThat(r.failed()).isEqualTo(1);
            assertThat(pauses).isEmpty();
        }

        @Test
        void recordsLeftWhenTheTimeIsUsedUpAreNotStartedButReportedFailed() {
            // u1's write hangs until the SDK's timeout and uses the invocation's time up to the reserve; the other
            // key's record comes after it (concurrency 1)
            ProjectionService s = ProjectionService.builder(failing(i -> {
                        if (!i.get(Attr.USER_ID).s().equals("u1")) {
                            return null;
                        }
                        remaining.set(RetryPolicy.DEFAULT.reserve().toMillis());
                        return aws(AwsFailure.Kind.UNAVAILABLE, "ApiCallTimeoutException");
                    }))
                    .poisonQueue(sent::add).concurrency(1)
                    .retry(RetryPolicy.DEFAULT, pause -> {
                        pauses.add(pause);
                        remaining.addAndGet(-pause.toMillis());
                    }).build();
            services.add(s);

            BatchResult r = s.project(List.of(insert(100, v1), insert(200, item(command("tx-2", "u2").version(1L)))),
                    invocation);

            assertThat(r.failedSequenceNumbers()).containsExactly("100", "200");
            assertThat(memory.live()).as("tx-2 was not started with too little time left").isEmpty();
            assertThat(pauses).isEmpty();
        }

        @Test
        void ofOneItemDoNotStopTheOthers() {
            ProjectionService s = service(failing(i -> i.get(Attr.USER_ID).s().equals("u1")
                    ? aws(AwsFailure.Kind.UNAVAILABLE, "ThrottlingException") : null));

            BatchResult r = s.project(List.of(insert(100, v1), insert(200, item(command("tx-2", "u2").version(1L)))),
                    invocation);

            assertThat(r.failedSequenceNumbers()).containsExactly("100", "200");
            assertThat(memory.live()).containsOnlyKeys("u2/" + ViewKeys.viewSk(CREATED, "tx-2"));
        }
    }

    @Nested
    class OtherFailures {
        @Test
        void aMisconfigurationIsReportedAtOnceNotRetriedNotPoison() {
            ProjectionService s = service(failing(i -> aws(AwsFailure.Kind.MISCONFIGURED, "AccessDeniedException")));

            BatchResult r = s.project(List.of(insert(100, v1)), invocation);

            assertThat(r.failedSequenceNumbers()).containsExactly("100");
            assertThat(pauses).isEmpty();
            assertThat(sent).isEmpty();
        }

        @Test
        void anUnexpectedExceptionIsReportedAtOnce() {
            ProjectionService s = service(failing(i -> new IllegalStateException("bug")));

            BatchResult r = s.project(List.of(insert(100, v1)), invocation);

            assertThat(r.failure().reason()).isEqualTo("IllegalStateException: bug");
            assertThat(pauses).isEmpty();
            assertThat(sent).isEmpty();
        }
    }

    @Test
    void theKindsOfFailure() {
        assertThat(Failures.kindOf(new MappingException("platform", "unknown"))).isEqualTo(Failures.Kind.POISON);
        assertThat(Failures.kindOf(aws(AwsFailure.Kind.REJECTED, "ValidationException"))).isEqualTo(Failures.Kind.POISON);
        assertThat(Failures.kindOf(aws(AwsFailure.Kind.UNAVAILABLE, "ThrottlingException"))).isEqualTo(Failures.Kind.TRANSIENT);
        assertThat(Failures.kindOf(aws(AwsFailure.Kind.MISCONFIGURED, "AccessDenied"))).isEqualTo(Failures.Kind.FAILED);
        assertThat(Failures.kindOf(new NullPointerException())).isEqualTo(Failures.Kind.FAILED);
    }

    @Test
    void theRetryPolicysPausesAndBound() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        for (int retry = 1; retry < 40; retry++) {
            long full = Math.min(5_000, 100L << Math.min(retry - 1, 20));
            assertThat(p.pause(retry).toMillis()).isBetween(full / 2, full);
        }
        assertThat(p.allowsAnother(1, Duration.ofSeconds(1), 13_001)).isTrue();
        assertThat(p.allowsAnother(1, Duration.ofSeconds(1), 13_000)).isFalse();
        assertThat(p.allowsAnother(p.maxAttempts(), Duration.ZERO, Long.MAX_VALUE)).isFalse();
        assertThat(RetryPolicy.NONE.allowsAnother(1, Duration.ZERO, Long.MAX_VALUE)).isFalse();
    }
}
