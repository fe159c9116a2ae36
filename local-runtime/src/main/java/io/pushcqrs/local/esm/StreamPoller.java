package io.pushcqrs.local.esm;

import io.pushcqrs.local.lambda.LambdaInvoker;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The poller of one DynamoDB-stream event source mapping: what AWS Lambda's event source mapping does, for the
 * embedded stack. It is made of:
 * <ul>
 * <li>{@link ShardCoordinator}: lists the stream's shards and starts a reader per shard, a child after its parent;</li>
 * <li>{@link ShardReader}: reads one shard (iterators, GetRecords) and makes batches
 *     ({@link io.pushcqrs.local.esm.rules.Batching}: batch size, batching window, 6 MB payload);</li>
 * <li>{@link BatchDelivery}: invokes the function with a batch and does what
 *     {@link io.pushcqrs.local.esm.rules.DeliveryRules} decides (retry, bisect, record age, retry attempts, partial
 *     batch response, checkpoint, on-failure message);</li>
 * <li>{@link OnFailureDestination}: the on-failure SQS queue that gets an {@link OnFailureMessage} per discard;</li>
 * <li>{@link CheckpointStore}: where each shard has got to, so a new poller resumes after the last record that was
 *     done with: nothing is lost and only the batch in flight when the poller stopped is sent again.</li>
 * </ul>
 * {@link #start()} starts the coordinator on a daemon thread; {@link #close()} stops every thread of the poller.
 */
public final class StreamPoller implements AutoCloseable {

    /**
     * Timings, the log sink and the clock (record age is measured with it).
     *
     * @param idleSleep       pause after a GetRecords that returned nothing ({@link #DEFAULT_IDLE_SLEEP} by default; AWS
     *                        polls a shard about 4 times a second, a local stack can afford to poll more often)
     * @param retryBackoff    pause before the first retry of a failed batch; doubles per retry
     * @param maxRetryBackoff the longest pause between retries
     * @param shardRefresh    how often the shard list is read again (new shards, ended parents)
     * @param log             where the one-line log entries go
     * @param clock           the time used for record age and the on-failure message
     */
    public record Options(Duration idleSleep, Duration retryBackoff, Duration maxRetryBackoff, Duration shardRefresh,
                          Consumer<String> log, Clock clock) {
        /** The idle pause unless the stack is told another (--poller-idle-ms): short, for latency. */
        public static final Duration DEFAULT_IDLE_SLEEP = Duration.ofMillis(50);

        public static Options defaults() {
            return new Options(DEFAULT_IDLE_SLEEP, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(10),
                    System.out::println, Clock.systemUTC());
        }

        public Options withIdleSleep(Duration d) {
            return new Options(d, retryBackoff, maxRetryBackoff, shardRefresh, log, clock);
        }

        public Options withRetryBackoff(Duration first, Duration max) {
            return new Options(idleSleep, first, max, shardRefresh, log, clock);
        }

        public Options withShardRefresh(Duration d) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, d, log, clock);
        }

        public Options withLog(Consumer<String> sink) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, shardRefresh, sink, clock);
        }

        public Options withClock(Clock c) {
            return new Options(idleSleep, retryBackoff, maxRetryBackoff, shardRefresh, log, c);
        }
    }

    /**
     * Counters since start.
     *
     * @param invocations        invocations that reached the invoker
     * @param recordsSucceeded   records the function reported done
     * @param recordsDiscarded   records given up on (on-failure destination or skipped)
     * @param onFailureMessages  messages sent to the on-failure queue
     */
    public record Stats(long invocations, long recordsSucceeded, long recordsDiscarded, long onFailureMessages) {
    }

    /** What the poller is doing. */
    public enum State {
        /** reading the stream and delivering (or waiting for records) */
        POLLING,
        /** a shard cannot be read: nothing from that point on is delivered (see {@link Status#problem()}) */
        STUCK,
        /** the mapping is disabled ({@code Enabled: false}) */
        DISABLED,
        /** not started yet, or closed */
        STOPPED
    }

    /**
     * What the poller is doing now and how far behind it is.
     *
     * @param state         see {@link State}
     * @param problem       why a shard cannot make progress (STUCK), or the last failed read, else null
     * @param stuckSince    when it got stuck, or null
     * @param failedReads   consecutive failed reads of the worst shard
     * @param iteratorAgeMs AWS's IteratorAge: the age of the last record of the latest invocation, the largest of all
     *                      shards; for a shard that cannot be read, at least the time since its reads began to fail
     */
    public record Status(State state, String problem, java.time.Instant stuckSince, int failedReads, long iteratorAgeMs) {
    }

    private final PollerContext ctx;
    private final ShardCoordinator coordinator;
    private volatile Thread coordinatorThread;
    private boolean closed;

    public StreamPoller(EsmSpec spec, DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker,
                        CheckpointStore checkpoints) {
        this(spec, streams, sqs, invoker, checkpoints, Options.defaults());
    }

    public StreamPoller(EsmSpec spec, DynamoDbStreamsClient streams, SqsClient sqs, LambdaInvoker invoker,
                        CheckpointStore checkpoints, Options options) {
        validate(spec);
        OnFailureDestination onFailure = spec.onFailureArn() == null || spec.onFailureArn().isBlank() ? null
                : new OnFailureDestination(spec.onFailureArn(), require(sqs, "an SqsClient (the mapping has an on-failure queue)"));
        this.ctx = new PollerContext(spec, require(options, "options"), require(streams, "a DynamoDbStreamsClient"),
                require(invoker, "a LambdaInvoker"), require(checkpoints, "a CheckpointStore"), onFailure);
        this.coordinator = new ShardCoordinator(ctx);
    }

    public EsmSpec spec() {
        return ctx.spec;
    }

    public Stats stats() {
        return new Stats(ctx.invocations.get(), ctx.recordsSucceeded.get(), ctx.recordsDiscarded.get(),
                ctx.onFailureMessages.get());
    }

    /** Tells {@code events} of the records read, the batches and the records done with (the console). */
    public void events(io.pushcqrs.local.console.ConsoleEvents events) {
        ctx.events = events;
    }

    /** The state, problem and iterator age now. */
    public Status status() {
        if (!ctx.spec.enabled()) {
            return new Status(State.DISABLED, null, null, 0, 0);
        }
        PollerStatus.Shard worst = null;
        long age = 0;
        for (PollerStatus.Shard s : ctx.status.shards(ctx.options.clock().instant()).values()) {
            age = Math.max(age, s.iteratorAgeMs());
            if (worst == null || s.stuck() && !worst.stuck() || s.stuck() == worst.stuck() && s.failedReads() > worst.failedReads()) {
                worst = s;
            }
        }
        State state = !isRunning() ? State.STOPPED : worst != null && worst.stuck() ? State.STUCK : State.POLLING;
        return worst == null ? new Status(state, null, null, 0, age)
                : new Status(state, worst.problem(), worst.stuckSince(), worst.failedReads(), age);
    }

    /** True between {@link #start()} and {@link #close()} (false for a disabled mapping). */
    public boolean isRunning() {
        Thread t = coordinatorThread;
        return t != null && t.isAlive() && !ctx.closed();
    }

    /** Starts polling on a daemon thread; a disabled mapping ({@code Enabled: false}) only logs that it is off. */
    public synchronized void start() {
        EsmSpec spec = ctx.spec;
        if (closed) {
            throw new IllegalStateException("the poller of mapping " + spec.uuid() + " is closed");
        }
        if (coordinatorThread != null) {
            throw new IllegalStateException("the poller of mapping " + spec.uuid() + " is already started");
        }
        if (!spec.enabled()) {
            ctx.log("disabled (Enabled: false): not polling " + spec.streamArn());
            return;
        }
        ctx.log("polling " + spec.streamArn() + " -> " + ctx.target + " (batch " + spec.batchSize() + ", window "
                + spec.maxBatchingWindowSeconds() + " s, start " + spec.startingPosition() + ", retries "
                + spec.maxRetryAttempts() + ", max age " + spec.maxRecordAgeSeconds() + " s, bisect " + spec.bisectOnError()
                + ", item failures " + spec.reportBatchItemFailures() + ", parallelization " + spec.parallelizationFactor()
                + ", on-failure "
                + (ctx.onFailure == null ? "none" : spec.onFailureArn()) + ")");
        Thread t = new Thread(coordinator, "esm-" + spec.uuid());
        t.setDaemon(true);
        coordinatorThread = t;
        t.start();
    }

    /**
     * Stops polling and waits (a few seconds) for the readers; checkpoints stay in the store. A batch that is being
     * retried is abandoned without a checkpoint, so a new poller sends it again.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ctx.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Thread> threads = new ArrayList<>();
        Thread c = coordinatorThread;
        if (c != null) {
            threads.add(c);
            joinUntil(c, deadline);
        }
        threads.addAll(coordinator.readers());
        for (Thread t : threads) {
            joinUntil(t, deadline);
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
                joinUntil(t, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
        }
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("a stream poller needs " + what);
        }
        return value;
    }

    private static EsmSpec validate(EsmSpec spec) {
        require(spec, "an EsmSpec");
        String id = spec.uuid() == null || spec.uuid().isBlank() ? "(no uuid)" : spec.uuid();
        if (spec.uuid() == null || spec.uuid().isBlank()) {
            throw new IllegalArgumentException("event source mapping " + id + ": a uuid is needed (it names the checkpoint file)");
        }
        if (spec.streamArn() == null || !spec.streamArn().contains(":dynamodb:") || !spec.streamArn().contains("/stream/")) {
            throw new IllegalArgumentException("event source mapping " + id + ": " + spec.streamArn()
                    + " is not a DynamoDB stream ARN (only DynamoDB stream event sources are supported)");
        }
        if ((spec.functionName() == null || spec.functionName().isBlank())
                && (spec.functionArn() == null || spec.functionArn().isBlank())) {
            throw new IllegalArgumentException("event source mapping " + id + ": no target function");
        }
        if (!"TRIM_HORIZON".equals(spec.startingPosition()) && !"LATEST".equals(spec.startingPosition())) {
            throw new IllegalArgumentException("event source mapping " + id + ": StartingPosition " + spec.startingPosition()
                    + " is not supported for a DynamoDB stream (TRIM_HORIZON or LATEST)");
        }
        if (spec.batchSize() < 1 || spec.batchSize() > 10_000) {
            throw new IllegalArgumentException("event source mapping " + id + ": BatchSize " + spec.batchSize()
                    + " is out of range (1..10000)");
        }
        if (spec.maxBatchingWindowSeconds() < 0 || spec.maxBatchingWindowSeconds() > 300) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumBatchingWindowInSeconds "
                    + spec.maxBatchingWindowSeconds() + " is out of range (0..300)");
        }
        if (spec.maxRetryAttempts() < -1 || spec.maxRetryAttempts() > 10_000) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumRetryAttempts "
                    + spec.maxRetryAttempts() + " is out of range (-1 or 0..10000)");
        }
        if (spec.parallelizationFactor() < 1 || spec.parallelizationFactor() > 10) {
            throw new IllegalArgumentException("event source mapping " + id + ": ParallelizationFactor "
                    + spec.parallelizationFactor() + " is out of range (1..10)");
        }
        // Lambda: -1 (no bound) or 60 s to 7 days; "values less than 60 and greater than -1 ... are not allowed"
        if (spec.maxRecordAgeSeconds() != -1 && (spec.maxRecordAgeSeconds() < 60 || spec.maxRecordAgeSeconds() > 604_800)) {
            throw new IllegalArgumentException("event source mapping " + id + ": MaximumRecordAgeInSeconds "
                    + spec.maxRecordAgeSeconds() + " is out of range (-1, or 60..604800)");
        }
        return spec;
    }
}
