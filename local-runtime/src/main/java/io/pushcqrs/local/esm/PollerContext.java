package io.pushcqrs.local.esm;

import io.pushcqrs.local.esm.rules.DeliveryRules;
import io.pushcqrs.local.lambda.LambdaInvoker;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the parts of one mapping's poller share: its settings and clients, whether it is closing, its counters and its
 * log. The coordinator, the shard readers and the batch deliveries run on the poller's threads and stop at once
 * (with {@link Stopped}) when it closes.
 */
final class PollerContext {
    final EsmSpec spec;
    final StreamPoller.Options options;
    final DynamoDbStreamsClient streams;
    final LambdaInvoker invoker;
    final CheckpointStore checkpoints;
    /** The on-failure queue, or null when the mapping has none. */
    final OnFailureDestination onFailure;
    /** The function name the poller invokes (its ARN when the spec has no name). */
    final String target;

    final AtomicLong invocations = new AtomicLong();
    final AtomicLong recordsSucceeded = new AtomicLong();
    final AtomicLong recordsDiscarded = new AtomicLong();
    final AtomicLong onFailureMessages = new AtomicLong();
    /** The table's partition key attribute, from DescribeStream's KeySchema (null until known). */
    volatile String partitionKey;
    /** Whether each shard makes progress, and its iterator age. */
    final PollerStatus status = new PollerStatus();
    /** Told of the records read, the batches and the records done with (the console). */
    volatile io.pushcqrs.local.console.ConsoleEvents events = io.pushcqrs.local.console.ConsoleEvents.NONE;

    private final CountDownLatch stop = new CountDownLatch(1);
    /** Wakes the coordinator early (a reader ended, or the poller closes). */
    final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;

    PollerContext(EsmSpec spec, StreamPoller.Options options, DynamoDbStreamsClient streams, LambdaInvoker invoker,
                  CheckpointStore checkpoints, OnFailureDestination onFailure) {
        this.spec = spec;
        this.options = options;
        this.streams = streams;
        this.invoker = invoker;
        this.checkpoints = checkpoints;
        this.onFailure = onFailure;
        this.target = spec.functionName() != null && !spec.functionName().isBlank() ? spec.functionName()
                : spec.functionArn();
    }

    /** Thrown inside the poller's threads to unwind when it closes. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        stop.countDown();
        wake.release();
    }

    /** Unwinds (throws {@link Stopped}) when the poller is closing. */
    void checkOpen() {
        if (closed) {
            throw new Stopped();
        }
    }

    DeliveryRules.Settings rules() {
        return new DeliveryRules.Settings(spec.bisectOnError(), spec.maxRetryAttempts(), spec.maxRecordAgeSeconds(),
                options.retryBackoff(), options.maxRetryBackoff());
    }

    Duration backoff(int attempt) {
        return DeliveryRules.backoff(attempt, options.retryBackoff(), options.maxRetryBackoff());
    }

    /** Waits, or unwinds at once when the poller closes. */
    void pause(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            if (stop.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    void log(String message) {
        try {
            options.log().accept("[esm " + spec.uuid() + "] " + message);
        } catch (RuntimeException ignored) {
            // a broken log sink must not stop the stream
        }
    }

    /** Logs a problem unless it is the one logged last; returns it (the new "last"). */
    String logOnce(String last, String problem) {
        if (!problem.equals(last)) {
            log(problem);
        }
        return problem;
    }

    /** "first..last" sequence numbers of records, for the log. */
    static String range(List<Record> records) {
        String first = records.get(0).dynamodb().sequenceNumber();
        String last = records.get(records.size() - 1).dynamodb().sequenceNumber();
        return first.equals(last) ? first : first + ".." + last;
    }
}
